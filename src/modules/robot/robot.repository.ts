// The robot's knowledge base and the ratings of its answers. Every query takes the site id.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { RobotQuestion, RobotTables } from './robot.tables.ts';

type Q = Kysely<RobotTables> | Transaction<RobotTables>;

export interface RatingTotal {
  questionId: number;
  title: string | null;
  useful: number;
  useless: number;
}

export interface QuestionInput {
  kind: 'qa' | 'greeting';
  title: string;
  alternatives: string[];
  answer: string;
  related: number[];
  thirdUrl: string | null;
  isActive: boolean;
}

function columns(q: QuestionInput) {
  return {
    kind: q.kind,
    title: q.title,
    alternatives: JSON.stringify(q.alternatives),
    answer: q.answer,
    related: JSON.stringify(q.related),
    third_url: q.thirdUrl,
    is_active: q.isActive,
  };
}

/** The site's questions, oldest first (all of them, or only the active ones). */
export function listQuestions(db: Q, siteId: number, onlyActive = false): Promise<RobotQuestion[]> {
  let q = db.selectFrom('robot_questions').selectAll().where('site_id', '=', siteId);
  if (onlyActive) q = q.where('is_active', '=', true);
  return q.orderBy('id').execute();
}

/** A fingerprint of the knowledge base that changes with every insert, update and delete. */
export async function knowledgeStamp(db: Q, siteId: number): Promise<string> {
  const row = await db
    .selectFrom('robot_questions')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('u'), eb.fn.max('id').as('m')])
    .where('site_id', '=', siteId)
    .executeTakeFirstOrThrow();
  return `${row.n}:${String(row.u)}:${String(row.m)}`;
}

export function findQuestion(db: Q, siteId: number, id: number): Promise<RobotQuestion | undefined> {
  return db.selectFrom('robot_questions').selectAll().where('site_id', '=', siteId).where('id', '=', id).executeTakeFirst();
}

/** Which of these ids are questions of the site. */
export async function existingQuestionIds(db: Q, siteId: number, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('robot_questions').select('id').where('site_id', '=', siteId).where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

export function insertQuestion(db: Q, siteId: number, q: QuestionInput): Promise<RobotQuestion> {
  return db
    .insertInto('robot_questions')
    .values({ site_id: siteId, ...columns(q), updated_at: new Date().toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateQuestion(db: Q, siteId: number, id: number, q: QuestionInput): Promise<RobotQuestion | undefined> {
  return db
    .updateTable('robot_questions')
    .set({ ...columns(q), updated_at: new Date().toISOString() })
    .where('site_id', '=', siteId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteQuestion(db: Q, siteId: number, id: number): Promise<boolean> {
  const r = await db.deleteFrom('robot_questions').where('site_id', '=', siteId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Records (or changes) the customer's rating of one robot answer. */
export async function upsertRating(
  db: Q,
  r: { siteId: number; chatId: number; messageId: number; questionId: number; useful: boolean },
): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('robot_ratings')
    .values({ site_id: r.siteId, chat_id: r.chatId, message_id: r.messageId, question_id: r.questionId, useful: r.useful, updated_at: now })
    .onConflict((oc) => oc.column('message_id').doUpdateSet({ useful: r.useful, updated_at: now }))
    .execute();
}

/** Useful and useless ratings per question of a site. */
/** Useful and useless votes per question of a site. */
export async function ratingTotals(db: Q, siteId: number): Promise<RatingTotal[]> {
  const rows = await db
    .selectFrom('robot_ratings as r')
    .leftJoin('robot_questions as q', (j) => j.onRef('q.id', '=', 'r.question_id').on('q.site_id', '=', siteId))
    .select((eb) => [
      'r.question_id',
      'q.title',
      eb.fn.sum<number>(sql`case when ${eb.ref('r.useful')} then 1 else 0 end`).as('useful'),
      eb.fn.countAll<number>().as('total'),
    ])
    .where('r.site_id', '=', siteId)
    .groupBy(['r.question_id', 'q.title'])
    .orderBy('r.question_id')
    .execute();
  return rows.map((r) => ({ questionId: r.question_id, title: r.title ?? null, useful: Number(r.useful), useless: Number(r.total) - Number(r.useful) }));
}

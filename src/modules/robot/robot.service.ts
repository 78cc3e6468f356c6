// The built-in robot: answers a customer's questions from the site's knowledge base (question and
// answer pairs with alternative phrasings, and small talk), offers guide and related questions,
// admits what it does not know, and hands the chat to people when asked or after repeated misses.
import type { Kysely } from 'kysely';
import { requirePermission, type SiteContext } from '../../platform/context.ts';
import { flag } from '../../platform/db/columns.ts';
import { BadRequest, NotFound } from '../../platform/errors.ts';
import type { EventLog } from '../../platform/events/index.ts';
import type { RobotReply } from '../chat/index.ts';
import type { SiteSettingsRecord, TenancyService } from '../tenancy/index.ts';
import type { RobotEvent } from './robot.events.ts';
import { asksForPerson, buildIndex, type KbEntry, matchQuestion, type RobotIndex } from './robot.matcher.ts';
import * as repo from './robot.repository.ts';
import type { RobotQuestion, RobotTables } from './robot.tables.ts';

export type { QuestionInput, RatingTotal } from './robot.repository.ts';

export interface QuestionView {
  id: number;
  kind: 'qa' | 'greeting';
  title: string;
  alternatives: string[];
  answer: string;
  related: number[];
  thirdUrl: string | null;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
}

function presentQuestion(q: RobotQuestion): QuestionView {
  return {
    id: q.id,
    kind: q.kind,
    title: q.title,
    alternatives: JSON.parse(q.alternatives) as string[],
    answer: q.answer,
    related: JSON.parse(q.related) as number[],
    thirdUrl: q.third_url,
    isActive: flag(q.is_active),
    createdAt: q.created_at,
    updatedAt: q.updated_at,
  };
}

/** A question as the robot lists it to customers (gus_list, relate_list). */
export interface ListedQuestion {
  question_id: number;
  question_title: string;
}

/** The spec's robot message data, with `answer_type` added so apps can tell the cases apart. */
export interface RobotAnswerData {
  [key: string]: unknown;
  answer_type: 'answer' | 'greeting' | 'suggest' | 'unknown' | 'handover';
  question_id: number;
  question_title: string;
  answer: string;
  gus_list: ListedQuestion[];
  relate_list: ListedQuestion[];
  third_url: string | null;
}

interface Knowledge {
  stamp: string;
  index: RobotIndex;
  byId: Map<number, QuestionView>;
}

const listed = (q: QuestionView): ListedQuestion => ({ question_id: q.id, question_title: q.title });

/** How a site's robot speaks and when it hands over (kept with the site's IM settings). */
export interface RobotSettings {
  name: string;
  avatar: string | null;
  welcomeMessage: string;
  unknownMessage: string;
  /** What the robot says when it hands the chat to people. */
  handoverMessage: string;
  /** Unanswered questions in a row after which the robot hands the chat to people; 0 never. */
  handoverAfterMisses: number;
  /** Questions offered as the guide list (gus_list) with the welcome and unknown answers. */
  guideQuestionIds: number[];
}

/** The robot: the door of the robot module. */
export interface RobotService {
  /** What the robot says to a customer's text in a chat with it (`misses`: its unanswered questions in a row). */
  respond(chat: { siteId: number; robotMisses: number }, text: string): Promise<RobotReply>;
  /** The robot's side of a new session (the spec's robot assign_info), with the guide list. */
  greeting(siteId: number): Promise<{ robot: RobotSettings; guide: ListedQuestion[] }>;
  listQuestions(ctx: SiteContext): Promise<QuestionView[]>;
  getQuestion(ctx: SiteContext, id: number): Promise<QuestionView>;
  /** Adds a question to the knowledge base (site admins). */
  createQuestion(ctx: SiteContext, input: repo.QuestionInput): Promise<QuestionView>;
  updateQuestion(ctx: SiteContext, id: number, input: repo.QuestionInput): Promise<QuestionView>;
  deleteQuestion(ctx: SiteContext, id: number): Promise<void>;
  /** Useful and useless votes per question. */
  ratings(ctx: SiteContext): Promise<repo.RatingTotal[]>;
  /** Stores a customer's rating of one robot answer (a later rating of the same answer replaces it). */
  rate(siteId: number, rating: { chatId: number; messageId: number; questionId: number; useful: boolean }): Promise<void>;
}

export interface RobotDeps {
  db: Kysely<RobotTables>;
  events: EventLog<RobotTables, RobotEvent>;
  /** Where the site's robot settings are kept (its section of the site's settings). */
  tenancy: Pick<TenancyService, 'settings'>;
}

const defaultRobot: RobotSettings = {
  name: 'Assistant',
  avatar: null,
  welcomeMessage: 'Hello! Ask me a question, or type "agent" to talk to a person.',
  unknownMessage: 'Sorry, I do not know the answer to that yet. Rephrase it, or type "agent" to talk to a person.',
  handoverMessage: 'Let me find a person to help you; one moment please.',
  handoverAfterMisses: 3,
  guideQuestionIds: [],
};

/** A site's robot settings from its stored settings, the defaults filled in. */
export function robotSettingsOf(stored: Pick<SiteSettingsRecord, 'robot'> | undefined): RobotSettings {
  return { ...defaultRobot, ...(stored?.robot ? (JSON.parse(stored.robot) as Partial<RobotSettings>) : {}) };
}

/** The robot of every site, with the management of its knowledge base. */
export function createRobotService({ db, events, tenancy }: RobotDeps): RobotService {
  const settings = async (siteId: number) => ({ robot: robotSettingsOf(await tenancy.settings.read(siteId)) });
  // One index per site, rebuilt when the knowledge base changes (on any node).
  const cache = new Map<number, Knowledge>();

  async function knowledge(siteId: number): Promise<Knowledge> {
    const stamp = await repo.knowledgeStamp(db, siteId);
    const cached = cache.get(siteId);
    if (cached?.stamp === stamp) return cached;
    const questions = (await repo.listQuestions(db, siteId, true)).map(presentQuestion);
    const entries: KbEntry[] = questions.map((q) => ({ id: q.id, kind: q.kind, title: q.title, alternatives: q.alternatives, answer: q.answer }));
    const fresh = { stamp, index: buildIndex(entries), byId: new Map(questions.map((q) => [q.id, q])) };
    cache.set(siteId, fresh);
    return fresh;
  }

  function guideList(k: Knowledge, ids: number[]): ListedQuestion[] {
    return ids.flatMap((id) => {
      const q = k.byId.get(id);
      return q ? [listed(q)] : [];
    });
  }

  async function checkRelated(siteId: number, related: number[]): Promise<void> {
    const known = await repo.existingQuestionIds(db, siteId, related);
    const missing = related.filter((id) => !known.has(id));
    if (missing.length > 0) throw new BadRequest(`Related questions ${missing.join(', ')} do not exist on this site.`);
  }

  return {
    /** What the robot says to a customer's text in a chat with it. */
    async respond(chat, text) {
      const { robot } = await settings(chat.siteId);
      const k = await knowledge(chat.siteId);
      const base = { question_id: 0, question_title: '', gus_list: [], relate_list: [], third_url: null };
      if (asksForPerson(text)) {
        const data: RobotAnswerData = { ...base, answer_type: 'handover', answer: robot.handoverMessage };
        return { data, answered: true, handover: true, questionId: null };
      }
      const outcome = matchQuestion(k.index, text);
      if (outcome.kind === 'answer' || outcome.kind === 'greeting') {
        const q = k.byId.get(outcome.entry.id)!;
        const data: RobotAnswerData = {
          ...base,
          answer_type: outcome.kind,
          // Small talk is question 0 (the spec): it cannot be rated.
          question_id: outcome.kind === 'greeting' ? 0 : q.id,
          question_title: q.title,
          answer: q.answer,
          relate_list: guideList(k, q.related),
          third_url: q.thirdUrl,
        };
        return { data, answered: true, handover: false, questionId: q.id };
      }
      // One miss too many: the robot says it hands over instead of admitting another miss.
      const misses = chat.robotMisses + 1;
      if (robot.handoverAfterMisses > 0 && misses >= robot.handoverAfterMisses) {
        const data: RobotAnswerData = { ...base, answer_type: 'handover', answer: robot.handoverMessage };
        return { data, answered: false, handover: true, questionId: null };
      }
      if (outcome.kind === 'suggest') {
        const data: RobotAnswerData = {
          ...base,
          answer_type: 'suggest',
          answer: 'Did you mean one of these questions?',
          gus_list: outcome.suggestions.map((e) => listed(k.byId.get(e.id)!)),
        };
        return { data, answered: false, handover: false, questionId: null };
      }
      const data: RobotAnswerData = { ...base, answer_type: 'unknown', answer: robot.unknownMessage, gus_list: guideList(k, robot.guideQuestionIds) };
      return { data, answered: false, handover: false, questionId: null };
    },

    /** The robot's side of a new session (the spec's robot assign_info), with the guide list. */
    async greeting(siteId: number) {
      const { robot } = await settings(siteId);
      const k = await knowledge(siteId);
      return { robot, guide: guideList(k, robot.guideQuestionIds) };
    },

    async listQuestions(ctx: SiteContext): Promise<QuestionView[]> {
      return (await repo.listQuestions(db, ctx.siteId)).map(presentQuestion);
    },

    async getQuestion(ctx: SiteContext, id: number): Promise<QuestionView> {
      const q = await repo.findQuestion(db, ctx.siteId, id);
      if (!q) throw new NotFound('question', id);
      return presentQuestion(q);
    },

    async createQuestion(ctx: SiteContext, input: repo.QuestionInput): Promise<QuestionView> {
      requirePermission(ctx, 'manageSettings', 'change the knowledge base');
      await checkRelated(ctx.siteId, input.related);
      return presentQuestion(await repo.insertQuestion(db, ctx.siteId, input));
    },

    async updateQuestion(ctx: SiteContext, id: number, input: repo.QuestionInput): Promise<QuestionView> {
      requirePermission(ctx, 'manageSettings', 'change the knowledge base');
      await checkRelated(ctx.siteId, input.related);
      const q = await repo.updateQuestion(db, ctx.siteId, id, input);
      if (!q) throw new NotFound('question', id);
      return presentQuestion(q);
    },

    async deleteQuestion(ctx: SiteContext, id: number): Promise<void> {
      requirePermission(ctx, 'manageSettings', 'change the knowledge base');
      if (!(await repo.deleteQuestion(db, ctx.siteId, id))) throw new NotFound('question', id);
    },

    /** Useful and useless votes per question. */
    ratings(ctx: SiteContext) {
      return repo.ratingTotals(db, ctx.siteId);
    },

    /** Stores a customer's rating of one robot answer (a later rating of the same answer replaces it). */
    async rate(siteId: number, rating: { chatId: number; messageId: number; questionId: number; useful: boolean }): Promise<void> {
      await events.transaction(async (trx, emit) => {
        await repo.upsertRating(trx, { siteId, ...rating });
        emit({ name: 'robot.rated', siteId, ...rating });
      });
    },
  };
}


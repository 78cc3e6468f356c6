// The robot's knowledge base and answer ratings on the native API: agents read, site admins write.
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { Id, problems, Timestamp } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { RobotService } from './robot.service.ts';

const tags = ['robot'];
const security = [{ bearer: [] }];

const Phrase = Type.String({ minLength: 1, maxLength: 500 });
const QuestionSchema = Type.Object(
  {
    id: Id,
    kind: Type.Union([Type.Literal('qa'), Type.Literal('greeting')]),
    title: Type.String(),
    alternatives: Type.Array(Type.String()),
    answer: Type.String(),
    related: Type.Array(Id),
    thirdUrl: Type.Union([Type.String(), Type.Null()]),
    isActive: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'RobotQuestion', description: 'A knowledge-base entry; greetings (small talk) answer with question_id 0' },
);
const QuestionRef = Type.Unsafe<Type.Static<typeof QuestionSchema>>({ $ref: 'RobotQuestion' });

const QuestionInput = Type.Object(
  {
    kind: Type.Optional(Type.Union([Type.Literal('qa'), Type.Literal('greeting')], { description: 'qa (default) or greeting (small talk)' })),
    title: Phrase,
    alternatives: Type.Optional(Type.Array(Phrase, { maxItems: 50, description: 'Other phrasings of the question' })),
    answer: Type.String({ minLength: 1, maxLength: 10000 }),
    related: Type.Optional(Type.Array(Id, { maxItems: 20, description: 'Related questions (relate_list)' })),
    thirdUrl: Type.Optional(Type.Union([Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }), Type.Null()])),
    isActive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
type QuestionBody = Type.Static<typeof QuestionInput>;

const input = (b: QuestionBody) => ({
  kind: b.kind ?? 'qa',
  title: b.title.trim(),
  alternatives: (b.alternatives ?? []).map((a) => a.trim()).filter((a) => a !== ''),
  answer: b.answer,
  related: [...new Set(b.related ?? [])],
  thirdUrl: b.thirdUrl ?? null,
  isActive: b.isActive ?? true,
});

const Params = Type.Object({ questionId: Id });

/** Registers the knowledge-base and rating routes. */
export function registerRobotRoutes(app: HttpServer, robot: RobotService): void {
  app.addSchema(QuestionSchema);

  app.get(
    '/api/v1/robot/questions',
    {
      config: { access: ['agent'] },
      schema: { tags, summary: "The robot's knowledge base", security, response: { 200: Type.Array(QuestionRef), ...problems(401, 403) } },
    },
    async (request) => robot.listQuestions(siteContext(request.principal)),
  );

  app.post(
    '/api/v1/robot/questions',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: { tags, summary: 'Add a question and its answer', security, body: QuestionInput, response: { 201: QuestionRef, ...problems(400, 401, 403) } },
    },
    async (request, reply) => reply.code(201).send(await robot.createQuestion(siteContext(request.principal), input(request.body))),
  );

  app.get(
    '/api/v1/robot/questions/:questionId',
    {
      config: { access: ['agent'] },
      schema: { tags, summary: 'One question', security, params: Params, response: { 200: QuestionRef, ...problems(400, 401, 403, 404) } },
    },
    async (request) => robot.getQuestion(siteContext(request.principal), request.params.questionId),
  );

  app.put(
    '/api/v1/robot/questions/:questionId',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: { tags, summary: 'Replace a question', security, params: Params, body: QuestionInput, response: { 200: QuestionRef, ...problems(400, 401, 403, 404) } },
    },
    async (request) => robot.updateQuestion(siteContext(request.principal), request.params.questionId, input(request.body)),
  );

  app.delete(
    '/api/v1/robot/questions/:questionId',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: { tags, summary: 'Delete a question (its ratings stay)', security, params: Params, response: { 204: Type.Null(), ...problems(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      await robot.deleteQuestion(siteContext(request.principal), request.params.questionId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/robot/ratings',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: "Customers' useful / useless ratings per question",
        security,
        response: {
          200: Type.Array(
            Type.Object({ questionId: Type.Integer(), title: Type.Union([Type.String(), Type.Null()]), useful: Type.Integer(), useless: Type.Integer() }),
          ),
          ...problems(401, 403),
        },
      },
    },
    async (request) => robot.ratings(siteContext(request.principal)),
  );
}

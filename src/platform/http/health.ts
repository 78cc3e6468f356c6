// Liveness and readiness probes.
import { Type } from 'typebox';
import type { HttpServer } from './server.ts';

/** What readiness depends on, each answering whether it is reachable now. */
export interface ReadinessChecks {
  database: () => Promise<boolean>;
  broker: () => Promise<boolean>;
}

/** Registers /healthz (the process answers) and /readyz (the database and the real-time broker answer too). */
export function registerHealth(app: HttpServer, checks: ReadinessChecks): void {
  const Status = Type.Object({ status: Type.String() });
  app.get(
    '/healthz',
    { config: { access: ['public'] }, logLevel: 'warn', schema: { tags: ['health'], summary: 'Liveness', response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      config: { access: ['public'] },
      logLevel: 'warn',
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database and the real-time broker (Redis, when used) are reachable',
        response: { 200: Status, 503: Status },
      },
    },
    async (_request, reply) => {
      const [database, broker] = await Promise.all([checks.database(), checks.broker()]);
      if (!database) return reply.code(503).send({ status: 'database unreachable' });
      if (!broker) return reply.code(503).send({ status: 'redis unreachable' });
      return { status: 'ready' };
    },
  );
}

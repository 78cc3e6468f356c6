// Liveness and readiness probes.
import { Type } from 'typebox';
import type { HttpServer } from './server.ts';

/** Registers /healthz (the process answers) and /readyz (the database answers too). */
export function registerHealth(app: HttpServer, ping: () => Promise<boolean>): void {
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
      schema: { tags: ['health'], summary: 'Readiness: the database is reachable', response: { 200: Status, 503: Status } },
    },
    async (_request, reply) => ((await ping()) ? { status: 'ready' } : reply.code(503).send({ status: 'database unreachable' })),
  );
}

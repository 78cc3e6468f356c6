// Reports: the `reports` listener counts the event log into rollups; the Report API sums them
// for a site, a partner or the platform, in any time zone (docs/reports.md).
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../platform/db/database.ts';
import type { DomainEvent, EventListener, EventTables } from '../../platform/events/index.ts';
import { lastEventOf, readEvents } from '../../platform/events/index.ts';
import type { ParleyModule } from '../../platform/module.ts';
import { REPORT_EVENT_NAMES } from './reports.events.ts';
import { position } from './reports.repository.ts';
import { registerReportsRoutes } from './reports.routes.ts';
import { createReportsService, type ReportsService } from './reports.service.ts';
import type { ReportsTables } from './reports.tables.ts';

export type { ReportQuery, ReportsService, Summary } from './reports.service.ts';
export type { ReportsTables } from './reports.tables.ts';

export interface ReportsModuleDeps {
  db: Kysely<ReportsTables & EventTables>;
  dialect: Dialect;
  now: () => number;
  /** Report API calls one caller may make a minute. */
  perMinute: number;
  partnerOf(siteId: number): Promise<number | null>;
  namesOf(request: FastifyRequest, by: 'agent' | 'group'): Promise<Map<number, string>>;
}

/** The door of the reports module, with the rebuild the CLI runs. */
export interface ReportsDoor extends ReportsService {
  /** Forgets the rollups and counts the whole event log again. */
  rebuildFromLog(): Promise<{ events: number }>;
  /** Resolves once every event of the log the reports count has been counted (within 10 s; for the CLI and tests). */
  caughtUp(): Promise<void>;
}

/** The reports module: its service, the Report API and the `reports` listener. */
export function createReportsModule(deps: ReportsModuleDeps): ParleyModule<ReportsDoor> {
  const reportsDb = deps.db.withTables<ReportsTables>();
  const reports = createReportsService({ db: reportsDb, dialect: deps.dialect, now: deps.now });
  const log = deps.db.withTables<EventTables>();
  const listener: EventListener<DomainEvent> = {
    name: 'reports',
    types: REPORT_EVENT_NAMES,
    handle: async (event) => void (await reports.count([event])),
    // One transaction for every event of a read: under load, a batch costs about what one does.
    handleBatch: async (events) => void (await reports.count(events)),
    // Nobody reads a report the moment a message is sent: a request does not wait for the count.
    awaited: false,
  };
  return {
    service: {
      ...reports,
      rebuildFromLog: () => reports.rebuild((after, limit, trx) => readEvents(trx ? trx.withTables<EventTables>() : log, after, limit)),
      async caughtUp() {
        const last = await lastEventOf(log, REPORT_EVENT_NAMES);
        const until = Date.now() + 10_000;
        while ((await position(reportsDb)) < last) {
          if (Date.now() > until) throw new Error('the reports did not catch up with the event log within 10 s');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
    },
    routes: (http) => registerReportsRoutes(http, { reports, perMinute: deps.perMinute, partnerOf: deps.partnerOf, namesOf: deps.namesOf }),
    listeners: [listener],
  };
}

// The Report API (docs/reports.md): a site's figures for its admins, agents with viewReports and
// the partner's tokens with the reports scope; a partner's roll-up across its sites (the portal,
// the partner's back end, and platform admins acting on it); every partner's for platform admins.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Forbidden, NotFound } from '../../platform/errors.ts';
import { perCallerRateLimit } from '../../platform/http/access.ts';
import { Id, Nullable, problems } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { allowedFrom, PORTAL_MOUNTS, reportsAccess } from '../partners/index.ts';
import { CHANNELS } from './reports.counting.ts';
import { REPORTS, type ReportName } from './reports.figures.ts';
import { type ReportQuery, type ReportSeries, type ReportsService, type Scope, toCsv } from './reports.service.ts';

const security = [{ bearer: [] }];
const tags = ['reports'];

const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A local date in `timezone`, YYYY-MM-DD' });
const Query = {
  from: Type.Optional({ ...LocalDate, description: 'First day, inclusive (default: 6 days before `to`)' }),
  to: Type.Optional({ ...LocalDate, description: 'Last day, inclusive (default: today in `timezone`)' }),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. Asia/Taipei (default UTC)' })),
  agentId: Type.Optional(Id),
  groupId: Type.Optional(Id),
  channel: Type.Optional(Type.Union(CHANNELS.map((c) => Type.Literal(c)))),
};
const SeriesQuery = {
  ...Query,
  interval: Type.Optional(Type.Union([Type.Literal('hour'), Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], { description: 'The series’ step (default day)' })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'csv: the series as CSV, one line per point (also with Accept: text/csv)' })),
};
const Figures = Type.Record(Type.String(), Nullable(Type.Number()), { description: 'The report’s figures, by name (docs/reports.md)' });
const Range = { from: Type.String(), to: Type.String(), timezone: Type.String() };
const Summary = Type.Object({ ...Range, ...Object.fromEntries(REPORTS.map((r) => [r, Figures])) });
const Series = Type.Object({
  report: Type.String(),
  ...Range,
  interval: Type.String(),
  total: Figures,
  series: Type.Array(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])), { description: 'Each point: `start` (RFC 3339 with the zone’s offset) and the figures' }),
});
const TableRow = Type.Object({ id: Id, name: Nullable(Type.String()), ...Object.fromEntries(['chats', 'first-response', 'duration', 'availability', 'survey'].map((r) => [r, Figures])) });
const Table = Type.Object({ ...Range, rows: Type.Array(TableRow) });
const ReportParam = Type.Object({ report: Type.Union(REPORTS.map((r) => Type.Literal(r))) });

type SeriesQueryT = ReportQuery & { format?: 'json' | 'csv' };

/** Answers a series as JSON, or as a CSV download when asked. */
function send(request: FastifyRequest, reply: FastifyReply, series: ReportSeries, format: 'json' | 'csv' | undefined) {
  const csv = format === 'csv' || (format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
  if (!csv) return series;
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="parley-${series.report}-${series.from}-${series.to}.csv"`)
    .send(toCsv(series));
}

export interface ReportsRoutesDeps {
  reports: ReportsService;
  /** Report API calls one caller may make a minute. */
  perMinute: number;
  /** The partner a site belongs to (null: none, or no such site). */
  partnerOf(siteId: number): Promise<number | null>;
  /** Names of the site's agents and groups, for the tables. */
  namesOf(request: FastifyRequest, by: 'agent' | 'group'): Promise<Map<number, string>>;
}

/** Registers the Report API: one budget of calls a minute per caller across all its routes. */
export function registerReportsRoutes(app: HttpServer, deps: ReportsRoutesDeps): void {
  void app.register(async (scope: HttpServer) => {
    const { max, timeWindow, keyGenerator } = perCallerRateLimit('reports', deps.perMinute);
    scope.addHook('preHandler', scope.rateLimit({ max, timeWindow, keyGenerator }));
    registerRoutes(scope, deps);
  });
}

function registerRoutes(app: HttpServer, deps: ReportsRoutesDeps): void {
  const { reports } = deps;
  const siteConfig = { access: ['agent' as const, 'site-client' as const], permission: 'viewReports' as const, siteClientScope: 'reports' as const };
  const siteOf = (r: FastifyRequest): Scope => {
    const p = r.principal;
    if (p?.kind !== 'agent' && p?.kind !== 'site-client') throw new Forbidden('Reports of a site are for its agents and its partner’s tokens.');
    return { siteId: p.siteId };
  };

  app.get(
    '/api/v1/reports/summary',
    { config: siteConfig, schema: { tags, summary: 'Every report’s totals for the site over a date range', security, querystring: Type.Object(Query, { additionalProperties: false }), response: { 200: Summary, ...problems(400, 401, 403, 429) } } },
    async (request) => reports.summary(siteOf(request), request.query),
  );

  for (const by of ['agent', 'group'] as const) {
    app.get(
      `/api/v1/reports/by-${by}`,
      {
        config: siteConfig,
        schema: {
          tags,
          summary: by === 'agent' ? 'The figures of each agent of the site' : 'The figures of each group of the site',
          security,
          querystring: Type.Object(Query, { additionalProperties: false }),
          response: { 200: Table, ...problems(400, 401, 403, 429) },
        },
      },
      async (request) => {
        const table = await reports.table(siteOf(request), by, request.query);
        const names = await deps.namesOf(request, by);
        const rows = [...new Set([...names.keys(), ...table.rows.keys()])]
          .sort((a, b) => a - b)
          .map((id) => ({ id, name: names.get(id) ?? null, ...(table.rows.get(id) ?? emptyRow()) }));
        return { from: table.from, to: table.to, timezone: table.timezone, rows };
      },
    );
  }

  app.get(
    '/api/v1/reports/:report',
    {
      config: siteConfig,
      schema: {
        tags,
        summary: 'One report of the site: its total and its series (JSON, or CSV)',
        security,
        params: ReportParam,
        querystring: Type.Object(SeriesQuery, { additionalProperties: false }),
        response: { 200: Series, ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { format, ...q } = request.query as SeriesQueryT;
      return send(request, reply, await reports.report(siteOf(request), request.params.report as ReportName, q), format);
    },
  );

  // ---- roll-ups ----
  const SiteFilter = { siteId: Type.Optional({ ...Id, description: 'One of the partner’s sites only' }) };
  const PartnerFilter = { partnerId: Type.Optional({ ...Id, description: 'One partner’s sites only' }) };

  /** A partner's scope: all its sites, or the one it names (which must be its own). */
  async function partnerScope(partnerId: number, siteId: number | undefined): Promise<Scope> {
    if (siteId === undefined) return { partnerId };
    if ((await deps.partnerOf(siteId)) !== partnerId) throw new NotFound('site', siteId);
    return { siteId };
  }

  for (const mount of PORTAL_MOUNTS) {
    const onPlatform = mount.access[0] === 'platform';
    const params: Record<string, typeof Id> = onPlatform ? { partnerId: Id } : {};
    // The partner's back end reads its roll-up with a reports-scope token, from its allow-list.
    const config = { access: onPlatform ? (['platform'] as const) : (['partner', 'partner-api'] as const) };
    const partnerOf = (r: FastifyRequest, siteId: number | undefined): number => {
      const p = r.principal;
      if (p?.kind === 'partner-api') {
        if (!reportsAccess(p.scopes, siteId)) throw new Forbidden(siteId === undefined ? 'This token lacks the reports scope for every site of the partner (it is limited to some: name one with siteId).' : `This token lacks the reports scope for site ${siteId}.`, { reason: 'insufficient-scope' });
        if (!allowedFrom(p.allowList, r.ip)) throw new Forbidden(`Calls from ${r.ip} are not in the partner's IP allow-list.`, { reason: 'ip-not-allowed' });
        return p.partnerId;
      }
      return mount.partnerOf(r);
    };
    const mountTags = ['reports', mount.tag];

    app.get(
      `${mount.prefix}/reports/summary`,
      {
        config: { access: [...config.access] },
        schema: {
          tags: mountTags,
          summary: 'Every report’s totals across the partner’s sites',
          security,
          ...(onPlatform && { params: Type.Object(params) }),
          querystring: Type.Object({ ...Query, ...SiteFilter }, { additionalProperties: false }),
          response: { 200: Summary, ...problems(400, 401, 403, 404, 429) },
        },
      },
      async (request) => {
        const { siteId, ...q } = request.query as ReportQuery & { siteId?: number };
        return reports.summary(await partnerScope(partnerOf(request, siteId), siteId), q);
      },
    );

    app.get(
      `${mount.prefix}/reports/:report`,
      {
        config: { access: [...config.access] },
        schema: {
          tags: mountTags,
          summary: 'One report across the partner’s sites: its total and its series (JSON, or CSV)',
          security,
          params: Type.Object({ ...params, report: ReportParam.properties.report }),
          querystring: Type.Object({ ...SeriesQuery, ...SiteFilter }, { additionalProperties: false }),
          response: { 200: Series, ...problems(400, 401, 403, 404, 429) },
        },
      },
      async (request, reply) => {
        const { siteId, format, ...q } = request.query as SeriesQueryT & { siteId?: number };
        const scope = await partnerScope(partnerOf(request, siteId), siteId);
        return send(request, reply, await reports.report(scope, (request.params as { report: ReportName }).report, q), format);
      },
    );
  }

  // Every partner's sites, for platform admins.
  const platform = { access: ['platform' as const] };
  const platformScope = (partnerId: number | undefined): Scope => (partnerId === undefined ? { all: true } : { partnerId });
  app.get(
    '/api/v1/platform/reports/summary',
    {
      config: platform,
      schema: { tags: ['reports', 'platform'], summary: 'Every report’s totals across all partners', security, querystring: Type.Object({ ...Query, ...PartnerFilter }, { additionalProperties: false }), response: { 200: Summary, ...problems(400, 401, 403) } },
    },
    async (request) => {
      const { partnerId, ...q } = request.query as ReportQuery & { partnerId?: number };
      return reports.summary(platformScope(partnerId), q);
    },
  );
  app.get(
    '/api/v1/platform/reports/:report',
    {
      config: platform,
      schema: {
        tags: ['reports', 'platform'],
        summary: 'One report across all partners: its total and its series (JSON, or CSV)',
        security,
        params: ReportParam,
        querystring: Type.Object({ ...SeriesQuery, ...PartnerFilter }, { additionalProperties: false }),
        response: { 200: Series, ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { partnerId, format, ...q } = request.query as SeriesQueryT & { partnerId?: number };
      return send(request, reply, await reports.report(platformScope(partnerId), request.params.report as ReportName, q), format);
    },
  );
}

/** An agent or group with nothing counted in the range. */
function emptyRow() {
  return { chats: {}, 'first-response': {}, duration: {}, availability: {}, survey: {} };
}

// Visitors open a session on a site and get a signed token for REST and real-time calls.
import type { Kysely } from 'kysely';
import type { DB, Visitor } from '../../platform/db/schema.ts';
import { NotFound } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import type { IdentityService, IssuedToken } from '../identity/index.ts';
import { siteIsOpen, type TenancyService } from '../tenancy/index.ts';

export type VisitorInfo = Record<string, string | number | boolean | null>;

export interface VisitorView {
  id: number;
  siteId: number;
  name: string | null;
  email: string | null;
  info: VisitorInfo;
  createdAt: string;
}

/** Shapes a visitor row for the API. */
export function presentVisitor(v: Visitor): VisitorView {
  return { id: v.id, siteId: v.site_id, name: v.name, email: v.email, info: JSON.parse(v.info) as VisitorInfo, createdAt: v.created_at };
}

export interface OpenSessionInput {
  name?: string | undefined;
  email?: string | undefined;
  info?: VisitorInfo | undefined;
}

interface Deps {
  db: Kysely<DB>;
  identity: IdentityService;
  tenancy: TenancyService;
}

/** Visitor operations. */
export function createVisitorsService({ db, identity, tenancy }: Deps) {
  return {
    /**
     * Opens a visitor session on a site. A caller that already holds a valid token of the same
     * site keeps its visitor (and history) and gets a fresh token.
     */
    async openSession(
      siteId: number,
      input: OpenSessionInput,
      caller: Principal | null,
    ): Promise<{ visitor: VisitorView; created: boolean } & IssuedToken> {
      const site = await tenancy.getSite(siteId).catch(() => undefined);
      // A closed site looks the same as a missing one to the public.
      if (!site || !siteIsOpen(site)) throw new NotFound('site', siteId);
      const now = new Date().toISOString();
      let visitor: Visitor | undefined;
      if (caller?.kind === 'visitor' && caller.siteId === siteId) {
        const patch = {
          last_seen_at: now,
          ...(input.name !== undefined && { name: input.name }),
          ...(input.email !== undefined && { email: input.email }),
          ...(input.info !== undefined && { info: JSON.stringify(input.info) }),
        };
        visitor = await db
          .updateTable('visitors')
          .set(patch)
          .where('site_id', '=', siteId)
          .where('id', '=', caller.visitorId)
          .returningAll()
          .executeTakeFirst();
      }
      const created = visitor === undefined;
      visitor ??= await db
        .insertInto('visitors')
        .values({ site_id: siteId, name: input.name ?? null, email: input.email ?? null, info: JSON.stringify(input.info ?? {}) })
        .returningAll()
        .executeTakeFirstOrThrow();
      const token = await identity.issueVisitorToken(siteId, visitor.id);
      return { visitor: presentVisitor(visitor), created, ...token };
    },

    /** One visitor of a site. */
    async get(siteId: number, visitorId: number): Promise<VisitorView> {
      const v = await db.selectFrom('visitors').selectAll().where('site_id', '=', siteId).where('id', '=', visitorId).executeTakeFirst();
      if (!v) throw new NotFound('visitor', visitorId);
      return presentVisitor(v);
    },
  };
}

export type VisitorsService = ReturnType<typeof createVisitorsService>;

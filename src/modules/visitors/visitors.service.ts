// Visitors open a session on a site and get a signed token for REST and real-time calls.
import type { Kysely } from 'kysely';
import type { DB, Visitor } from '../../platform/db/schema.ts';
import { NotFound } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import type { IdentityService, IssuedToken } from '../identity/index.ts';
import { siteIsOpen, type TenancyService } from '../tenancy/index.ts';
import { findVisitor, insertVisitor, touchVisitor } from './visitors.repository.ts';

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
      const site = await tenancy.findSite(siteId);
      // A closed site looks the same as a missing one to the public.
      if (!site || !siteIsOpen(site)) throw new NotFound('site', siteId);
      const existing =
        caller?.kind === 'visitor' && caller.siteId === siteId ? await touchVisitor(db, siteId, caller.visitorId, input) : undefined;
      const visitor = existing ?? (await insertVisitor(db, siteId, input));
      const created = existing === undefined;
      const token = await identity.issueVisitorToken(siteId, visitor.id);
      return { visitor: presentVisitor(visitor), created, ...token };
    },

    /** One visitor of a site. */
    async get(siteId: number, visitorId: number): Promise<VisitorView> {
      const v = await findVisitor(db, siteId, visitorId);
      if (!v) throw new NotFound('visitor', visitorId);
      return presentVisitor(v);
    },
  };
}

export type VisitorsService = ReturnType<typeof createVisitorsService>;

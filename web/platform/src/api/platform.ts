// The platform's API as the sign-up page and the platform admin use it (src/modules/partners/
// partners.platform.routes.ts): the public application, the platform login, applications,
// partners (suspension, name changes), every partner's sites, the audit log and the e-mail outbox.
import type { AuditEntry, PartnerApplication, PartnerView, SiteStatus } from '../../../shared/api-types.ts';
import { get, post, query } from '../../../console/src/api/http.ts';

export type ApplicationStatus = 'pending' | 'approved' | 'rejected';

/** What a company sends to apply (ApplicationInputSchema). */
export interface ApplicationInput {
  companyName: string;
  contactName: string;
  email: string;
  phone?: string;
  website?: string;
  note?: string;
}

/** An application and a partner as the API shows them (the server's own views). */
export type Application = PartnerApplication;
export type Partner = PartnerView;
/** An entry of the audit log and a site's status, as the server has them. */
export type { AuditEntry, SiteStatus };

export interface Approval {
  application: Application;
  partner: Partner;
  portalUser: { id: number; email: string; setPasswordUrl: string };
}

export interface Email {
  id: number;
  to: string;
  subject: string;
  body: string;
  status: string;
  createdAt: string;
  sentAt: string | null;
}

export const apply = (input: ApplicationInput) => post<{ id: number; status: 'pending' }>('/api/v1/partner-applications', input);

/** Signs a platform user in; a wrong password is a 401 the form shows (not a lost session). */
export const login = (email: string, password: string) => post<{ token: string; userId: number }>('/api/v1/platform/login', { email, password }, { expect401: true });
export const logout = () => post<null>('/api/v1/auth/logout', undefined, { expect401: true });

const APPS = '/api/v1/platform/partner-applications';
export const listApplications = (status: ApplicationStatus | '') => get<Application[]>(`${APPS}${query({ status })}`);
export const approveApplication = (id: number) => post<Approval>(`${APPS}/${id}/approve`, {});
export const rejectApplication = (id: number, reason: string) => post<Application>(`${APPS}/${id}/reject`, { reason });

export const listPartners = () => get<Partner[]>('/api/v1/platform/partners');
export const setPartnerActive = (id: number, active: boolean) => post<Partner>(`/api/v1/platform/partners/${id}/${active ? 'reactivate' : 'suspend'}`, {});
/** Approves (the requested name becomes the partner's) or refuses a partner's requested new name. */
export const decidePartnerName = (id: number, approve: boolean) => post<Partner>(`/api/v1/platform/partners/${id}/name/${approve ? 'approve' : 'reject'}`, {});

/** A site of any partner, with its partner's name (the Site Object of the Partner API, plus partnerName). */
export interface PlatformSite {
  id: number;
  partnerId: number;
  partnerName: string;
  company: string;
  website: string | null;
  status: SiteStatus;
  createdAt: string;
  deletedAt: string | null;
}

export interface SiteSearch {
  /** Part of the company name or website, or a site id. */
  q?: string;
  /** Left out: every status but deleted. */
  status?: SiteStatus | '';
  partnerId?: number | null;
  /** Only sites older than this one (the last id of a page gives the next). */
  before?: number | null;
  limit?: number;
}

/** Every partner's sites (or one partner's), newest first. */
export const listSites = (s: SiteSearch) =>
  get<PlatformSite[]>(`/api/v1/platform/sites${query({ q: s.q?.trim(), status: s.status, partnerId: s.partnerId, before: s.before, limit: s.limit })}`);

/** The audit log, newest first; `before` pages back from an entry's id. */
export const listAudit = (before: number | null, limit: number) => get<AuditEntry[]>(`/api/v1/platform/audit${query({ before, limit })}`);
export const listEmails = () => get<Email[]>('/api/v1/platform/emails');

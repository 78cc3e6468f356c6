// The platform's API as the sign-up page and the platform admin use it (src/modules/partners/
// partners.platform.routes.ts): the public application, the platform login, applications,
// partners, the audit log and the e-mail outbox.
import type { PartnerApplication, PartnerView } from '../../../shared/api-types.ts';
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

export interface Approval {
  application: Application;
  partner: Partner;
  portalUser: { id: number; email: string; setPasswordUrl: string };
}

export interface AuditEntry {
  id: number;
  actor: { kind: string; id: number | null };
  action: string;
  partnerId: number | null;
  target: string;
  at: string;
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

/** The audit log, newest first; `before` pages back from an entry's id. */
export const listAudit = (before: number | null, limit: number) => get<AuditEntry[]>(`/api/v1/platform/audit${query({ before, limit })}`);
export const listEmails = () => get<Email[]>('/api/v1/platform/emails');

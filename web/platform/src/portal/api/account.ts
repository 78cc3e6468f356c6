// The portal user's account and the partner's profile: sign in and out, set and reset the password
// (src/modules/partners/partners.platform.routes.ts), and read and change the profile.
import type { PartnerView } from '../../../../shared/api-types.ts';
import { get, patch, post } from '../../../../console/src/api/http.ts';
import { portalPath } from './base.ts';

export type Partner = PartnerView;

export interface ProfileChange {
  name?: string;
  contactName?: string;
  contactEmail?: string;
  phone?: string | null;
}

/** Signs a portal user in; a wrong password is a 401 the form shows. */
export const login = (email: string, password: string) => post<{ token: string; partnerId: number; userId: number }>('/api/v1/partner/login', { email, password }, { expect401: true });
export const logout = () => post<null>('/api/v1/partner/logout', undefined, { expect401: true });
/** Sets the password with a one-time link's token; answers the account's e-mail. */
export const setPassword = (token: string, password: string) => post<{ email: string }>('/api/v1/partner/password', { token, password }, { expect401: true });
/** Asks for a reset link by e-mail; the answer is the same whether or not the address is known. */
export const requestPasswordReset = (email: string) => post<unknown>('/api/v1/partner/password-reset', { email });

export const getProfile = () => get<Partner>(portalPath('/profile'));
export const updateProfile = (change: ProfileChange) => patch<Partner>(portalPath('/profile'), change);

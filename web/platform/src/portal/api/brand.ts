// The partner's brand: its branding text, its logo (raw image bytes with their type) and its theme
// of CSS custom properties (src/modules/partners/partners.portal.routes.ts, docs/partner-theme.md).
import type { ThemePair } from '../../../../../src/modules/partners/theme.tokens.ts';
import { del, get, put, request } from '../../../../console/src/api/http.ts';
import type { Partner } from './account.ts';
import { portalPath } from './base.ts';

export type { ThemePair };

/** The image types the server accepts for a logo (src/modules/partners/logo.ts, LOGO_TYPES). */
export const LOGO_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

/**
 * The documented logo size limit (docs/partner-theme.md). The server's own limit is configurable,
 * so the server still has the last word; this only spares sending a file that is surely refused.
 */
export const LOGO_MAX_BYTES = 512 * 1024;

/** Sets the text shown instead of Parley; null removes it. */
export const setBranding = (branding: string | null) => put<Partner>(portalPath('/branding'), { branding });

/** Uploads a logo as its raw bytes with their type; the server checks the bytes really are that type. */
export const uploadLogo = (file: Blob, type: string) => request<Partner>('PUT', portalPath('/branding/logo'), { body: file, contentType: type });

export const removeLogo = () => del<Partner>(portalPath('/branding/logo'));

/** The theme's pairs as stored (normalised). */
export const getTheme = () => get<{ pairs: ThemePair[] }>(portalPath('/theme')).then((r) => r.pairs);

/** Replaces the whole theme (an empty list: Parley's defaults); answers the pairs as stored. */
export const saveTheme = (pairs: ThemePair[]) => put<{ pairs: ThemePair[] }>(portalPath('/theme'), { pairs }).then((r) => r.pairs);

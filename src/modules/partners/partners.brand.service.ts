// What a partner's pages show instead of Parley: its branding text, its logo (checked for type,
// content and size, stored as a content-addressed file) and its theme of CSS custom properties.
import type { Kysely } from 'kysely';
import { BadRequest, PayloadTooLarge, UnsupportedMediaType } from '../../platform/errors.ts';
import { checkLogo, type LogoStore } from './logo.ts';
import { type Actor, audit } from './partners.audit.ts';
import { loadPartner, type PartnerUrls, type PartnerView, presentPartner } from './partners.presenter.ts';
import { brandConfigOf, partnerIdOfSlug, replaceTheme, themeByKey, themeOf, touchPartner, updateBrandConfig } from './partners.repository.ts';
import type { PartnersTables } from './partners.tables.ts';
import { renderThemeCss, type ThemePair, themeEtag, validateTheme } from './theme.ts';

export type { ThemePair } from './theme.ts';

/** A partner's branding, logo and theme. */
export interface BrandService {
  /** Sets the branding text shown instead of Parley (null: none). */
  setBranding(partnerId: number, actor: Actor, branding: string | null): Promise<PartnerView>;
  /** Stores a new logo (checked for type, content and size) and points the partner at it. */
  setLogo(partnerId: number, actor: Actor, bytes: Buffer, contentType: string | undefined): Promise<PartnerView>;
  /** Removes the partner's logo. */
  removeLogo(partnerId: number, actor: Actor): Promise<PartnerView>;
  /** The partner's theme tokens, by key. */
  getTheme(partnerId: number): Promise<ThemePair[]>;
  /** Replaces the partner's theme; every pair must be a documented token with a valid value. */
  setTheme(partnerId: number, actor: Actor, pairs: ThemePair[]): Promise<ThemePair[]>;
  /** The partner's theme as CSS custom properties, with its ETag; undefined for no such partner. */
  themeCss(slug: string): Promise<{ css: string; etag: string } | undefined>;
}

interface Deps {
  db: Kysely<PartnersTables>;
  urls: PartnerUrls;
  logos: LogoStore;
  logoMaxBytes: number;
  /** Told when a partner's branding, logo or theme changed (white-label hosts cache brands, and their theme's versioned address). */
  onBrandChanged(): void;
}

const pairsOf = (rows: { css_key: string; css_value: string }[]): ThemePair[] => rows.map((r) => ({ cssKey: r.css_key, cssValue: r.css_value }));

/** Brands over the database and the logo store. */
export function createBrandService({ db, urls, logos, logoMaxBytes, onBrandChanged }: Deps): BrandService {
  // Runs a brand change, then lets the host cache know.
  const branded = async <T>(change: Promise<T>): Promise<T> => {
    const out = await change;
    onBrandChanged();
    return out;
  };

  return {
    async setBranding(partnerId, actor, given) {
      const branding = given?.trim() ?? null;
      return branded(
        db.transaction().execute(async (trx) => {
          const before = await brandConfigOf(trx, partnerId);
          await updateBrandConfig(trx, partnerId, { branding });
          await audit(trx, actor, { action: 'partner.brandingUpdated', partnerId, target: `partner:${partnerId}`, before: { branding: before?.branding ?? null }, after: { branding } });
          return presentPartner(trx, await loadPartner(trx, partnerId), urls);
        }),
      );
    },

    async setLogo(partnerId, actor, bytes, contentType) {
      const checked = checkLogo(bytes, contentType, logoMaxBytes);
      if (!checked.ok) {
        if (checked.code === 'too-large') throw new PayloadTooLarge(checked.reason);
        if (checked.code === 'unsupported-type') throw new UnsupportedMediaType(checked.reason);
        throw new BadRequest(checked.reason, { reason: checked.code });
      }
      await loadPartner(db, partnerId);
      const name = await logos.save(partnerId, bytes, checked.ext);
      return branded(
        db.transaction().execute(async (trx) => {
          const before = await brandConfigOf(trx, partnerId);
          await updateBrandConfig(trx, partnerId, { logo: name });
          await audit(trx, actor, {
            action: 'partner.logoUpdated',
            partnerId,
            target: `partner:${partnerId}`,
            before: { logo: before?.logo ?? null },
            after: { logo: name, type: checked.type, bytes: bytes.length },
          });
          return presentPartner(trx, await loadPartner(trx, partnerId), urls);
        }),
      );
    },

    async removeLogo(partnerId, actor) {
      return branded(
        db.transaction().execute(async (trx) => {
          const before = await brandConfigOf(trx, partnerId);
          await updateBrandConfig(trx, partnerId, { logo: null });
          await audit(trx, actor, { action: 'partner.logoRemoved', partnerId, target: `partner:${partnerId}`, before: { logo: before?.logo ?? null }, after: { logo: null } });
          return presentPartner(trx, await loadPartner(trx, partnerId), urls);
        }),
      );
    },

    async getTheme(partnerId) {
      await loadPartner(db, partnerId);
      return pairsOf(await themeByKey(db, partnerId));
    },

    async setTheme(partnerId, actor, pairs) {
      const checked = validateTheme(pairs);
      if (!checked.ok) {
        throw new BadRequest('The theme has invalid tokens or values; see docs/partner-theme.md.', {
          errors: checked.errors.map((e) => ({ path: `body.pairs.${e.index}`, message: e.reason })),
        });
      }
      return branded(db.transaction().execute(async (trx) => {
        await loadPartner(trx, partnerId);
        const before = await themeOf(trx, partnerId);
        await replaceTheme(trx, partnerId, checked.value);
        await touchPartner(trx, partnerId);
        await audit(trx, actor, { action: 'partner.themeUpdated', partnerId, target: `partner:${partnerId}`, before: pairsOf(before), after: checked.value });
        return checked.value;
      }));
    },

    async themeCss(slug) {
      const partnerId = await partnerIdOfSlug(db, slug);
      if (partnerId === undefined) return undefined;
      const css = renderThemeCss(pairsOf(await themeOf(db, partnerId)));
      return { css, etag: themeEtag(css) };
    },
  };
}

// How a part of the partner portal writes its texts: English, then each other language with
// exactly the same keys (the type checks it).
import type { Lang } from '../../../../console/src/i18n/i18n.ts';

/** A part's texts: English, then each other language with exactly the English keys. */
export function defineTexts<const E extends Record<string, string>>(en: E, others: Record<Exclude<Lang, 'en'>, Record<keyof E, string>>): Record<Lang, Record<keyof E & string, string>> {
  return { en, ...others };
}

// Dates and times on the connect pages, in the portal's language.
import { getLang } from '../../../../../console/src/i18n/i18n.ts';

/** A date and time, e.g. "12 Mar 2025, 14:03". */
export const dateTime = (iso: string | Date) => new Intl.DateTimeFormat(getLang(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** A time of day to the second, e.g. "14:03:12" (when a check ran). */
export const time = (d: Date) => new Intl.DateTimeFormat(getLang(), { timeStyle: 'medium' }).format(d);

/** A date, e.g. "12 Mar 2025". */
export const date = (iso: string) => new Intl.DateTimeFormat(getLang(), { dateStyle: 'medium' }).format(new Date(iso));

// What a refused request says, for the panel's forms: the server's `detail` as it is, and the
// fields it names (`errors`: schema failures and per-entry checks such as the IP lists).
import { ApiError, errorText } from '../../../console/src/api/http.ts';

export interface FieldError {
  /** `body.field.0` (schema) or `/field/0` (a service's own check). */
  path: string;
  message: string;
}

/** The fields a problem names; none for other errors. */
export function fieldErrors(err: unknown): FieldError[] {
  if (!(err instanceof ApiError) || !Array.isArray(err.body.errors)) return [];
  return err.body.errors.filter((e): e is FieldError => typeof e?.path === 'string' && typeof e?.message === 'string');
}

/** The part of a field error's path after `field` (`body.refusedVisitors.3` → 3), or null. */
export function indexIn(error: FieldError, field: string): number | null {
  const m = new RegExp(`(?:^|[./])${field}[./](\\d+)$`).exec(error.path);
  return m ? Number(m[1]) : null;
}

/** A field error's path without where it was found: `body.settings.look.color`, `/settings/look/color` and `/body/settings/look/color` are all `settings.look.color`. */
export function fieldPath(error: FieldError): string {
  return error.path.replace(/^\//, '').replace(/^body[./]/, '').replaceAll('/', '.');
}

/** The first message a problem gives for each field, by path (`settings.look.color`); a union's alternatives give several. */
export function errorsByField(err: unknown): ReadonlyMap<string, string> {
  const byPath = new Map<string, string>();
  for (const e of fieldErrors(err)) if (!byPath.has(fieldPath(e))) byPath.set(fieldPath(e), e.message);
  return byPath;
}

/**
 * The problem in words: `detail`, and for a request that did not match the schema (whose detail
 * says only that) each field and what is wrong with it.
 */
export function problemText(err: unknown, networkText: string): string {
  if (err instanceof ApiError && err.status === 0) return networkText;
  const fields = err instanceof ApiError && err.body.type === 'urn:parley:problem:validation-failed' ? [...errorsByField(err)] : [];
  const base = errorText(err);
  return fields.length === 0 ? base : `${base} ${fields.map(([path, message]) => `${path}: ${message}.`).join(' ')}`;
}

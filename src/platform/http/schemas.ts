// Schema pieces shared by every module's routes.
import { type TSchema, Type } from 'typebox';

const ProblemRef = Type.Unsafe<{ type: string; title: string; status: number; detail?: string }>({ $ref: 'Problem' });

/** The problem+json responses a route can give, for its schema (and so for OpenAPI). */
export function problems(...codes: number[]) {
  const out: Record<number, typeof ProblemRef> = {};
  for (const c of codes) out[c] = ProblemRef;
  return out;
}

/** The schema, or null. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** A path id: a positive whole number. */
export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/** An ISO-8601 timestamp string. */
export const Timestamp = Type.String({ format: 'date-time' });

export const Email = Type.String({ format: 'email', maxLength: 254 });

export const Password = Type.String({ minLength: 8, maxLength: 200 });

export const TokenResponse = Type.Object({
  token: Type.String({ description: 'Bearer token for REST and the real-time connection' }),
  expiresAt: Timestamp,
});

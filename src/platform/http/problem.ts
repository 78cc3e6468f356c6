// RFC 9457 problem details: the one shape of every error on the native API.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError } from '../errors.ts';

/** Problem types are stable URNs; docs/errors.md lists each with its meaning. */
export const problemType = (slug: string): string => `urn:parley:problem:${slug}`;

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'Stable URN naming the kind of problem, e.g. urn:parley:problem:not-found' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), {
        description: 'Each field that failed validation',
      }),
    ),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

// The problem type of a framework or plugin error that only tells its status.
const slugByStatus: Record<number, string> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
};

interface Problem {
  slug: string;
  status: number;
  detail: string;
  extras?: Record<string, unknown>;
}

/** Sends a problem+json reply. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, p: Problem): FastifyReply {
  return reply
    .code(p.status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: problemType(p.slug),
      title: titles[p.status] ?? 'Error',
      status: p.status,
      detail: p.detail,
      instance: request.url.split('?')[0],
      requestId: String(request.id),
      ...p.extras,
    });
}

function validationErrors(err: FastifyError): { path: string; message: string }[] {
  return (err.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string; additionalProperty?: string }) ?? {};
    const base = `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`;
    if (missing.missingProperty) return { path: `${base}.${missing.missingProperty}`, message: 'is required' };
    if (missing.additionalProperty) {
      return { path: `${base}.${missing.additionalProperty}`, message: 'is not an allowed field' };
    }
    return { path: base, message: v.message ?? 'is invalid' };
  });
}

/** Maps any error to a problem; unexpected errors are logged and hidden behind a generic 500. */
export function errorToProblem(err: unknown, request: FastifyRequest): Problem {
  if (err instanceof DomainError) {
    return { slug: err.kind, status: err.status, detail: err.message, extras: err.extras };
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    return {
      slug: 'validation-failed',
      status: 400,
      detail: 'The request does not match the schema.',
      extras: { errors: validationErrors(fe) },
    };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { slug: 'malformed-json', status: 400, detail: 'The request body is not valid JSON.' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { slug: 'payload-too-large', status: 413, detail: 'The request body is larger than the limit.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { slug: 'unsupported-media-type', status: 415, detail: 'Send application/json.' };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { slug: slugByStatus[fe.statusCode] ?? 'bad-request', status: fe.statusCode, detail: fe.message };
  }
  request.log.error({ err }, 'unexpected error');
  return { slug: 'internal', status: 500, detail: 'Something went wrong on our side; the request id helps us find it.' };
}


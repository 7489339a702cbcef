import type { DomainErrorCode, FieldError } from '../domain/shared/domainError.js';

/** RFC 9457 problem details, the admin API's error body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

/** The one table that maps domain error codes to HTTP statuses (STYLE: Koa). */
export const statusByDomainCode: Record<DomainErrorCode, number> = {
  VALIDATION: 400,
  IMMUTABLE_FIELD: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  DUPLICATE_NAME: 409,
  ILLEGAL_STATE: 409,
  CONFLICT: 409,
  STALE_REVISION: 412,
};

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export function problem(status: number, detail?: string, errors?: FieldError[]): Problem {
  const slug = (titles[status] ?? 'error').toLowerCase().replace(/[^a-z]+/g, '-');
  return {
    type: `https://tollgate.dev/problems/${slug}`,
    title: titles[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    ...(errors && errors.length ? { errors } : {}),
  };
}

/** An error the HTTP layer throws on purpose; its detail is safe to show. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? titles[status] ?? 'error');
    this.name = 'HttpProblem';
  }
}

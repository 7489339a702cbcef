import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import { InvalidRequest, OAuthError } from '../oauthErrors.js';

/**
 * Parameters of an OAuth request body, `application/x-www-form-urlencoded` or
 * `application/json`. RFC 6749 §3.2: a parameter may appear once; an empty value counts as
 * absent. JSON values must be strings (Oro's legacy `scopes` may be an array of strings).
 * Every failure is an OAuthError (never a 500): wrong type or content type → invalid_request,
 * over the limit → 413 invalid_request.
 */
export type OAuthParams = Readonly<Record<string, string | undefined>>;

export const OAUTH_BODY_LIMIT = 64 * 1024;

/**
 * A new, empty parameter set. Its prototype has no prototype and no properties, so nothing is
 * inherited: `__proto__`, `constructor` or `toString` are parameter names like any other, as with
 * Object.create(null). Unlike Object.create(null), which V8 keeps as a hash table (each new
 * parameter a slow, uncached store: ~2 µs of the token endpoint's main thread per request under
 * load, BENCHMARKS.md "Tenth round"), these are ordinary fast objects. Node's querystring
 * does the same.
 */
const NoPrototype = function () {} as unknown as new () => Record<string, string>;
NoPrototype.prototype = Object.create(null) as object;
const emptyParams = (): Record<string, string> => new NoPrototype();

export async function readOAuthParams(req: IncomingMessage, limit = OAUTH_BODY_LIMIT): Promise<OAuthParams> {
  const length = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (length === undefined || length === '' || Number(length) === 0)) return emptyParams();
  const kind = bodyKind(req.headers['content-type']);
  if (!kind) {
    throw new InvalidRequest('the request body must be application/x-www-form-urlencoded or application/json');
  }
  const text = await readText(req, limit, length || undefined);
  return kind === 'json' ? fromJson(text) : fromForm(text);
}

/** The media type of the body, parameters (charset) aside, case-insensitively. */
function bodyKind(contentType: string | undefined): 'form' | 'json' | undefined {
  if (contentType === undefined) return undefined;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

async function readText(req: IncomingMessage, limit: number, length: string | undefined): Promise<string> {
  try {
    return await getRawBody(req, { limit, length, encoding: 'utf8' });
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      throw new OAuthError('invalid_request', 413, `the request body exceeds ${limit} bytes`);
    }
    throw new InvalidRequest('the request body could not be read');
  }
}

function fromForm(text: string): OAuthParams {
  const params = emptyParams();
  const seen = new Set<string>();
  let form: URLSearchParams;
  try {
    form = new URLSearchParams(text);
  } catch {
    throw new InvalidRequest('the form body is malformed');
  }
  for (const [name, value] of form) {
    if (seen.has(name)) throw new InvalidRequest(`parameter ${safeName(name)} is included more than once`);
    seen.add(name);
    if (value !== '') params[name] = value;
  }
  return params;
}

function fromJson(text: string): OAuthParams {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidRequest('the request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidRequest('the request body must be a JSON object');
  }
  const params = emptyParams();
  for (const [name, value] of Object.entries(parsed)) {
    if (value === null || value === undefined || value === '') continue;
    if (typeof value === 'string') params[name] = value;
    else if (name === 'scopes' && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      params[name] = value.join(' ');
    } else {
      throw new InvalidRequest(`parameter ${safeName(name)} must be a string`);
    }
  }
  return params;
}

/** Parameter names are echoed in descriptions only when short and plain. */
const safeName = (name: string): string => (/^[A-Za-z0-9_.-]{1,64}$/.test(name) ? name : '(invalid name)');

import getRawBody from 'raw-body';
import type { Context } from 'koa';
import { HttpProblem } from './problem.js';

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Reads and parses a JSON request body. Wrong content type → 415, oversized → 413,
 * malformed → 400, not an object → 400. An empty body reads as `{}` only when allowed.
 */
export async function readJsonBody(
  ctx: Context,
  options: { limit?: number; allowEmpty?: boolean } = {},
): Promise<Record<string, unknown>> {
  const length = ctx.request.length;
  const hasBody = (length !== undefined && length > 0) || ctx.get('transfer-encoding') !== '';
  if (!hasBody) {
    if (options.allowEmpty) return {};
    throw new HttpProblem(400, 'A JSON request body is required.');
  }
  if (!ctx.is('application/json', 'application/*+json')) {
    throw new HttpProblem(415, 'Request body must be application/json.');
  }
  let text: string;
  try {
    text = await getRawBody(ctx.req, {
      limit: options.limit ?? DEFAULT_BODY_LIMIT,
      length: ctx.get('content-length') || undefined,
      encoding: 'utf8',
    });
  } catch (error) {
    const e = error as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      throw new HttpProblem(413, `Request body exceeds ${options.limit ?? DEFAULT_BODY_LIMIT} bytes.`);
    }
    throw new HttpProblem(400, 'The request body could not be read.');
  }
  if (text.trim() === '' && options.allowEmpty) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpProblem(400, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

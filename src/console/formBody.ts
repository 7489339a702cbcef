import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { HttpProblem } from '../http/problem.js';

export const FORM_BODY_LIMIT = 64 * 1024;

/** A submitted HTML form (application/x-www-form-urlencoded), bounded like every body. */
export async function readForm(ctx: Context): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new HttpProblem(415, 'Forms are sent as application/x-www-form-urlencoded.');
  let text: string;
  try {
    text = await getRawBody(ctx.req, { limit: FORM_BODY_LIMIT, encoding: 'utf8' });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw new HttpProblem(413, 'The form is too large.');
    throw new HttpProblem(400, 'The form could not be read.');
  }
  return new URLSearchParams(text);
}

/** A single text field: trimmed; '' when absent. */
export const field = (form: URLSearchParams, name: string): string => (form.get(name) ?? '').trim();
/** A checkbox: present (any value) means checked. */
export const checked = (form: URLSearchParams, name: string): boolean => form.has(name);

/** The revision the form was rendered from (hidden field), or undefined when absent or malformed. */
export const revisionOf = (form: URLSearchParams): number | undefined => {
  const raw = field(form, 'revision');
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
};

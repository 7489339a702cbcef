import { request } from 'undici';

/** Real HTTP calls to the token server (undici), answering status, headers and parsed body. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  text: string;
}

export interface PostOptions {
  /** Default form. */
  encoding?: 'form' | 'json';
  basic?: { id: string; secret: string };
  headers?: Record<string, string>;
  path?: string;
}

export const basicHeader = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export async function postRaw(
  url: string,
  body: string | undefined,
  headers: Record<string, string>,
): Promise<HttpAnswer> {
  const response = await request(url, { method: 'POST', body, headers });
  const text = await response.body.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  return { status: response.statusCode, headers: response.headers, body: parsed, text };
}

export async function post(
  baseUrl: string,
  params: Record<string, unknown>,
  options: PostOptions = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.basic) headers.authorization = basicHeader(options.basic.id, options.basic.secret);
  let body: string;
  if (options.encoding === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(params);
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(params as Record<string, string>).toString();
  }
  return postRaw(`${baseUrl}${options.path ?? '/oauth2-token'}`, body, headers);
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const response = await request(url, { method: 'GET', headers });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, text };
}

/** Decodes a JWT's header and payload without verifying (tests look at claims). */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>,
  };
}

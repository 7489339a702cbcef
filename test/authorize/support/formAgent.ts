import { createHash, randomBytes } from 'node:crypto';
import { request } from 'undici';

/**
 * A user agent for the authorization flow over real HTTP without a browser: a cookie jar,
 * no automatic redirects (each hop is asserted), and the hidden fields of the page's form.
 */
export interface AgentResponse {
  status: number;
  location: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FormAgent {
  get(url: string): Promise<AgentResponse>;
  post(url: string, fields: Record<string, string>): Promise<AgentResponse>;
  cookies: Map<string, string>;
}

export function createFormAgent(baseUrl: string): FormAgent {
  const cookies = new Map<string, string>();
  const absolute = (url: string) => (url.startsWith('http') ? url : `${baseUrl}${url}`);
  const send = async (url: string, init: { method: 'GET' | 'POST'; body?: string }): Promise<AgentResponse> => {
    const headers: Record<string, string> = {};
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await request(absolute(url), { method: init.method, headers, body: init.body });
    const setCookie = res.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/Max-Age=0/i.test(line) || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    const location = res.headers.location;
    return { status: res.statusCode, location: typeof location === 'string' ? location : undefined, headers: res.headers, body: await res.body.text() };
  };
  return {
    cookies,
    get: (url) => send(url, { method: 'GET' }),
    post: (url, fields) => send(url, { method: 'POST', body: new URLSearchParams(fields).toString() }),
  };
}

/** The value of a hidden input on the page. */
export function hiddenField(html: string, name: string): string | undefined {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  return match?.[1]?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

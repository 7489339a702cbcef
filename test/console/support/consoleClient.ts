/** A console "browser" over plain HTTP (fetch): cookies by hand, forms with their CSRF token. */
export interface ConsoleHttp {
  sessionId: string | undefined;
  get(path: string): Promise<{ status: number; location: string | null; html: string; headers: Headers }>;
  post(path: string, fields: Record<string, string>, options?: { csrf?: string | false }): Promise<{ status: number; location: string | null; html: string }>;
  signIn(username: string, password: string): Promise<{ status: number; location: string | null; html: string; setCookies: string[] }>;
  csrf(): Promise<string>;
}

const cookieValue = (setCookies: string[], name: string): string | undefined => {
  for (const c of setCookies) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m) return m[1];
  }
  return undefined;
};

export function consoleHttp(baseUrl: string): ConsoleHttp {
  const client: ConsoleHttp = {
    sessionId: undefined,
    async get(path) {
      const res = await fetch(`${baseUrl}${path}`, {
        redirect: 'manual',
        headers: client.sessionId ? { cookie: `tollgate_console=${client.sessionId}` } : {},
      });
      return { status: res.status, location: res.headers.get('location'), html: await res.text(), headers: res.headers };
    },
    async post(path, fields, options = {}) {
      const body = new URLSearchParams(fields);
      if (options.csrf !== false) body.set('_csrf', options.csrf ?? (await client.csrf()));
      const res = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(client.sessionId ? { cookie: `tollgate_console=${client.sessionId}` } : {}) },
        body,
      });
      return { status: res.status, location: res.headers.get('location'), html: await res.text() };
    },
    async csrf() {
      const page = await client.get('/console/me');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1];
      if (!token) throw new Error(`no CSRF token on /console/me (status ${page.status})`);
      return token;
    },
    async signIn(username, password) {
      const form = await fetch(`${baseUrl}/console/`);
      const html = await form.text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
      const nonce = cookieValue(form.headers.getSetCookie(), 'tollgate_console_signin') ?? '';
      const res = await fetch(`${baseUrl}/console/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `tollgate_console_signin=${nonce}` },
        body: new URLSearchParams({ _csrf: csrf, username, password }),
      });
      const setCookies = res.headers.getSetCookie();
      const sessionId = cookieValue(setCookies, 'tollgate_console');
      if (sessionId) client.sessionId = sessionId;
      return { status: res.status, location: res.headers.get('location'), html: await res.text(), setCookies };
    },
  };
  return client;
}

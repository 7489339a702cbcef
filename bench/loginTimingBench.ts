/**
 * npm run bench:login-timing — does the password grant's answer time tell an existing user
 * from an unknown one? Tollgate runs in its own process (production mode, embedded store);
 * through one password-grant client, 50 tries each (LOGIN_TIMING_TRIES) of: an existing user
 * with a wrong password, an unknown user, and a user of another organization, interleaved so
 * that drift in the machine's load spreads over all of them. Prints the medians (and p90).
 * LOGIN_FAILURE_LIMIT is raised for the run so every wrong password of the existing user is
 * checked and counted (none is answered by a lockout).
 */
import { performance } from 'node:perf_hooks';
import { createBenchKeys, startTollgateChild } from './lib/benchServers.js';
import { median } from './lib/report.js';
import { basicAuth, benchClientToken, createPasswordFixture, FORM } from './lib/tollgateAdmin.js';

const tries = Number(process.env['LOGIN_TIMING_TRIES'] ?? 50);

const keys = await createBenchKeys('ES256');
const server = await startTollgateChild(keys, { dataDirName: 'login-timing', env: { LOGIN_FAILURE_LIMIT: '1000' } });
try {
  const fixture = await createPasswordFixture(server.url);
  const outsider = await createOutsider(server.url);
  const authorization = basicAuth(fixture.clientId, fixture.clientSecret);
  const cases: Record<string, string> = {
    'existing user, wrong password': fixture.username,
    'unknown user': 'nobody-by-this-name',
    "another organization's user": outsider,
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const answers = new Set<string>();
  const attempt = async (username: string): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${server.url}/oauth2-token`, {
      method: 'POST',
      headers: { authorization, 'content-type': FORM },
      body: new URLSearchParams({ grant_type: 'password', username, password: 'not-the-password-1' }).toString(),
    });
    const text = await res.text();
    const elapsed = performance.now() - started;
    answers.add(`${res.status} ${text}`);
    return elapsed;
  };
  for (const username of Object.values(cases)) await attempt(username); // warm-up, not counted
  for (let i = 0; i < tries; i++) {
    for (const [name, username] of Object.entries(cases)) times[name]!.push(await attempt(username));
  }
  const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)]!;
  process.stdout.write(`password grant, same client, ${tries} tries each (ms)\n`);
  for (const [name, values] of Object.entries(times)) {
    process.stdout.write(`${name.padEnd(32)} median ${median(values).toFixed(1).padStart(6)}   p90 ${p90(values).toFixed(1).padStart(6)}\n`);
  }
  process.stdout.write(`distinct answers: ${answers.size} ${[...answers].join(' | ')}\n`);
} finally {
  await server.stop();
  await keys.remove();
}

/** A back-office user of a second organization (not the client's). */
async function createOutsider(baseUrl: string): Promise<string> {
  const token = await benchClientToken(baseUrl);
  const call = async (path: string, body: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const org = await call('/admin/organizations', { name: 'login-timing other org', globalAccess: false });
  const username = 'login-timing-outsider';
  await call('/admin/users', {
    username, email: 'outsider@tollgate.local', password: 'outsider-password-1', kind: 'backOffice', roles: ['user'], organizationIds: [org.id],
  });
  return username;
}

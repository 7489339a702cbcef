import { expect } from 'chai';
import { http, type HttpResult } from '../../support/tollgateServer.js';
import { createFormAgent, hiddenField, pkcePair, type AgentResponse, type FormAgent } from './formAgent.js';

/** The steps of the authorization code flow as a user agent takes them, over real HTTP. */
export interface FlowApp {
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
}

export const authorizePath = (query: Record<string, string | undefined>): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
  return `/oauth2-token/authorize?${params}`;
};

export const standardQuery = (app: FlowApp, challenge: string, extra: Record<string, string | undefined> = {}) => ({
  response_type: 'code',
  client_id: app.clientId,
  redirect_uri: app.redirectUri,
  code_challenge: challenge,
  code_challenge_method: 'S256',
  state: 'xyz-state',
  ...extra,
});

/** From the authorize redirect to the console page, signing in when the sign-in page is shown. */
export async function followToDecision(agent: FormAgent, start: AgentResponse, user?: { username: string; password: string }): Promise<AgentResponse> {
  expect(start.status, start.body).to.equal(303);
  expect(start.location).to.match(/^\/console\/authorize\?request=/);
  let page = await agent.get(start.location!);
  if (page.status === 200 && page.body.includes('name="continue"')) {
    if (!user) return page;
    const signedIn = await agent.post('/console/sign-in', {
      _csrf: hiddenField(page.body, '_csrf')!,
      continue: hiddenField(page.body, 'continue')!,
      username: user.username,
      password: user.password,
    });
    expect(signedIn.status, signedIn.body).to.equal(303);
    expect(signedIn.location).to.equal(start.location);
    page = await agent.get(signedIn.location!);
  }
  return page;
}

/** Presses Grant or Cancel on the consent page. */
export async function decide(agent: FormAgent, consentPage: AgentResponse, decision: 'grant' | 'cancel'): Promise<AgentResponse> {
  expect(consentPage.status, consentPage.body).to.equal(200);
  return agent.post('/console/authorize', {
    _csrf: hiddenField(consentPage.body, '_csrf')!,
    request: hiddenField(consentPage.body, 'request')!,
    decision,
  });
}

export const redirectParams = (response: AgentResponse): URLSearchParams => {
  expect(response.status, response.body).to.equal(303);
  return new URL(response.location!).searchParams;
};

/** The whole flow for a user who grants: answers the code and the verifier. */
export async function obtainCode(
  baseUrl: string,
  app: FlowApp,
  user: { username: string; password: string },
  options: { agent?: FormAgent; extra?: Record<string, string | undefined> } = {},
): Promise<{ code: string; verifier: string; agent: FormAgent; params: URLSearchParams }> {
  const agent = options.agent ?? createFormAgent(baseUrl);
  const { verifier, challenge } = pkcePair();
  const start = await agent.get(authorizePath(standardQuery(app, challenge, options.extra)));
  let response = await followToDecision(agent, start, user);
  if (response.status === 200) response = await decide(agent, response, 'grant');
  const params = redirectParams(response);
  expect(params.get('error'), params.get('error_description') ?? '').to.equal(null);
  return { code: params.get('code')!, verifier, agent, params };
}

export async function redeem(baseUrl: string, app: FlowApp, fields: Record<string, string | undefined>, options: { secret?: boolean } = {}): Promise<HttpResult> {
  const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: app.clientId });
  if (options.secret !== false && app.clientSecret) body.set('client_secret', app.clientSecret);
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) body.set(k, v);
  return http(baseUrl, 'POST', '/oauth2-token', { rawBody: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

export async function tokenRequest(baseUrl: string, fields: Record<string, string>): Promise<HttpResult> {
  return http(baseUrl, 'POST', '/oauth2-token', {
    rawBody: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

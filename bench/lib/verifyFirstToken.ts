import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { LoadSpec } from './loadRun.js';

/**
 * Correctness before timing: the spec's request answers 200, and the access token it returns
 * verifies against the server's own JWKS with `typ: at+jwt`, its issuer and the expected
 * algorithm (or, for introspection, says `active: true`).
 */
export async function verifyFirstResponse(options: {
  name: string;
  baseUrl: string;
  jwksPath: string;
  spec: LoadSpec;
  alg: string;
}): Promise<string> {
  const { name, baseUrl, spec } = options;
  const res = await fetch(`${baseUrl}${spec.path}`, { method: 'POST', headers: spec.headers, body: spec.body });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${name}: first request answered ${res.status} ${JSON.stringify(body)}`);
  if ('active' in body) {
    if (body['active'] !== true) throw new Error(`${name}: introspection said ${JSON.stringify(body)}`);
    return `${name}: introspection active=true for client ${String(body['client_id'])}`;
  }
  const token = body['access_token'];
  if (typeof token !== 'string') throw new Error(`${name}: no access_token in ${JSON.stringify(body)}`);
  const jwks = (await (await fetch(`${baseUrl}${options.jwksPath}`)).json()) as { keys: [] };
  const { payload, protectedHeader } = await jwtVerify<JWTPayload>(token, createLocalJWKSet(jwks), {
    typ: 'at+jwt',
    issuer: baseUrl,
    algorithms: [options.alg],
  });
  return `${name}: token verifies (typ ${protectedHeader.typ}, alg ${protectedHeader.alg}, kid ${protectedHeader.kid?.slice(0, 8)}…, claims ${Object.keys(payload).join(' ')})`;
}

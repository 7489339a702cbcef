import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { createKeyRing, importSigningKey, importVerificationKey, type KeyRing } from '../../src/keys/keyRing.js';
import { AccessTokenInvalid, createAccessTokenVerifier } from '../../src/tokens/accessTokenVerifier.js';
import { createJwtSigner } from '../../src/tokens/jwtSigner.js';
import { oauthErrorReply } from '../../src/tokens/http/oauthErrorResponse.js';
import { busyRetryLater, invalidClient, InvalidGrant } from '../../src/tokens/oauthErrors.js';

/** A logger that keeps what it was given. */
const capture = () => {
  const lines: Array<{ level: string; object: Record<string, unknown>; message: string }> = [];
  const at = (level: string) => (object: object, message: string) => lines.push({ level, object: object as Record<string, unknown>, message });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
};

describe('OAuth error detail: logged, never sent', () => {
  it('given an invalid_client with a detail, then the answer is the generic one and the log says which check failed', () => {
    const { lines, logger } = capture();
    const reply = oauthErrorReply(invalidClient(false, 'wrong client secret'), logger, 'corr-1');
    expect(reply.status).to.equal(401);
    expect(reply.body).to.deep.equal({ error: 'invalid_client', error_description: 'client authentication failed' });
    expect(JSON.stringify(reply)).not.to.include('wrong client secret');
    expect(lines).to.deep.equal([
      { level: 'info', object: { error: 'invalid_client', errorDetail: 'wrong client secret', correlationId: 'corr-1' }, message: 'OAuth endpoint: request refused' },
    ]);
  });

  it('given a grant refused with a cause, then the cause is kept on the error and not in the answer', () => {
    const cause = new Error('domain: ILLEGAL_STATE family revoked');
    const error = new InvalidGrant(undefined, { detail: 'rotation refused: ILLEGAL_STATE', cause });
    expect(error.cause).to.equal(cause);
    const reply = oauthErrorReply(error, capture().logger, 'c');
    expect(JSON.stringify(reply.body)).not.to.match(/ILLEGAL_STATE|domain/);
  });

  it('given a conflict, then 503 temporarily_unavailable with Retry-After, logged as a warning', () => {
    const { lines, logger } = capture();
    const reply = oauthErrorReply(busyRetryLater('refresh token rotation kept conflicting'), logger, 'c');
    expect(reply.status).to.equal(503);
    expect(reply.headers['Retry-After']).to.equal('1');
    expect(reply.body.error).to.equal('temporarily_unavailable');
    expect(lines.map((l) => l.level)).to.deep.equal(['warn']);
  });
});

describe('access-token verifier: only jose errors mean "invalid token"', () => {
  let ring: KeyRing;
  let token: string;
  before(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    ring = createKeyRing(await importSigningKey('k1', privateKey), [await importVerificationKey('k1', publicKey)], []);
    const now = Math.floor(Date.now() / 1000);
    token = await createJwtSigner(ring.signingKey!, 'at+jwt').sign({
      iss: 'https://issuer.test', sub: 'u', jti: 'j', iat: now, exp: now + 60, client_id: 'c', aud: 'a',
    });
  });
  const verifierWith = (keys: KeyRing) => createAccessTokenVerifier({ keys, issuer: 'https://issuer.test', now: () => new Date() });

  it('given a good token, then it verifies', async () => {
    expect((await verifierWith(ring)(token)).sub).to.equal('u');
  });

  it('given a malformed or tampered token, then AccessTokenInvalid carrying jose\'s code as detail', async () => {
    for (const bad of ['not-a-jwt', `${token.slice(0, -4)}AAAA`]) {
      const error = await verifierWith(ring)(bad).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(AccessTokenInvalid);
      expect((error as AccessTokenInvalid).detail).to.match(/^ERR_J/);
    }
  });

  it('given a fault that is not about the token (a broken key ring), then that error propagates (a server error)', async () => {
    const broken: KeyRing = { ...ring, verificationKey: () => { throw new RangeError('key ring corrupted'); } };
    const error = await verifierWith(broken)(token).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(RangeError);
  });
});

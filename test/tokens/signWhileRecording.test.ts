import { expect } from 'chai';
import type { AccessTokenSigner, PendingAccessToken } from '../../src/tokens/accessTokenSigner.js';
import { StoreUnavailableError } from '../../src/eventStore/eventStore.js';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';
import { seedWorld } from './support/seed.js';
import { decodeJwt, post, type HttpAnswer } from './support/http.js';

/**
 * issueAccessToken.ts signs a token and appends its TokenIssued at the same time. These tests
 * hold one side and look at the other: the response waits for both, so no token leaves
 * without its record, and a failure on either side is an error with no token in it.
 */
describe('POST /oauth2-token — the signature and the TokenIssued append run at once', () => {
  let server: TokenServer;
  let world: Awaited<ReturnType<typeof seedWorld>>;
  let signer: AccessTokenSigner;
  let originalBegin: AccessTokenSigner['begin'];
  let originalAppend: TokenServer['store']['appendToStream'];

  before(async () => {
    server = await startTokenServer();
    world = await seedWorld(server);
    signer = server.service.deps.signer;
    originalBegin = signer.begin;
    originalAppend = server.store.appendToStream;
  });
  afterEach(() => {
    signer.begin = originalBegin;
    server.store.appendToStream = originalAppend;
  });
  after(() => server.close());

  const askForToken = (): Promise<HttpAnswer> =>
    post(server.url, { grant_type: 'client_credentials', client_id: world.ccApp.clientId, client_secret: world.ccApp.clientSecret });

  /** Replaces the token streams' append: `before` runs first and may hold or fail it. */
  const interceptTokenAppends = (before: () => Promise<void>): void => {
    server.store.appendToStream = async (stream, events, options) => {
      if (stream.startsWith('oauthTokens-')) await before();
      return originalAppend.call(server.store, stream, events, options);
    };
  };

  /** Resolves once a token stream's append has committed (the append itself unchanged). */
  const firstTokenAppendDurable = (): Promise<void> =>
    new Promise((appended) => {
      server.store.appendToStream = async (stream, events, options) => {
        const result = await originalAppend.call(server.store, stream, events, options);
        if (stream.startsWith('oauthTokens-')) appended();
        return result;
      };
    });

  /** Observes each token the signer starts; `change` may replace its signature's outcome. */
  const watchSignatures = (change?: (signed: PendingAccessToken['signed']) => PendingAccessToken['signed']): PendingAccessToken[] => {
    const started: PendingAccessToken[] = [];
    signer.begin = (claims) => {
      const pending = originalBegin(claims);
      const watched = { ...pending, signed: change ? change(pending.signed) : pending.signed };
      started.push(watched);
      return watched;
    };
    return started;
  };

  const issuedEvent = async (jti: string) =>
    (await server.store.readStream(`oauthTokens-${world.ccApp.applicationId}`)).find((e) => (e.data as { jti?: string }).jti === jti);

  it('given the TokenIssued append is held, when a client asks for a token, then the signature completes meanwhile and the answer waits for the append', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appendReached!: () => void;
    const reached = new Promise<void>((resolve) => (appendReached = resolve));
    interceptTokenAppends(() => {
      appendReached();
      return held;
    });
    const started = watchSignatures();

    let answered = false;
    const answer = askForToken().then((a) => ((answered = true), a));
    await reached;
    expect(started).to.have.length(1);
    const signed = await started[0]!.signed;
    // The token is signed while its record is still being written, and it has not left.
    expect(answered).to.equal(false);
    release();

    const { status, body } = await answer;
    expect(status).to.equal(200);
    expect(body.access_token).to.equal(signed.token);
    const jti = decodeJwt(signed.token).payload.jti as string;
    expect((await issuedEvent(jti))?.data).to.include({ jti, exp: signed.exp, clientId: world.ccApp.clientId });
  });

  it('given the signature is held, when a client asks for a token, then its TokenIssued is made durable meanwhile and the answer waits for the signature', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const started = watchSignatures((signed) => held.then(() => signed));
    const durable = firstTokenAppendDurable();

    let answered = false;
    const answer = askForToken().then((a) => ((answered = true), a));
    await durable;
    expect(answered).to.equal(false);
    expect((await issuedEvent(started[0]!.jti))?.data).to.include({ jti: started[0]!.jti, exp: started[0]!.exp });
    release();

    const { status, body } = await answer;
    expect(status).to.equal(200);
    expect(decodeJwt(body.access_token as string).payload).to.include({ jti: started[0]!.jti, exp: started[0]!.exp });
  });

  it('given the append fails after the signature is done, then the client gets 503 and no token', async () => {
    const started = watchSignatures();
    interceptTokenAppends(async () => {
      await started[0]!.signed;
      throw new StoreUnavailableError('Event store write failed: disk full');
    });

    const { status, body, text } = await askForToken();
    expect(status).to.equal(503);
    expect(body.error).to.equal('temporarily_unavailable');
    expect(body).not.to.have.property('access_token');
    const { token, jti } = await started[0]!.signed;
    expect(text).not.to.include(token.split('.')[2]);
    expect(await issuedEvent(jti)).to.equal(undefined);
  });

  it('given the signature fails after the append is durable, then the client gets server_error and no token, and the trail keeps the TokenIssued of a token nobody received', async () => {
    const started = watchSignatures((signed) => signed.then(() => Promise.reject(new Error('signing thread lost'))));
    const durable = firstTokenAppendDurable();

    const { status, body, text } = await askForToken();
    await durable;
    expect(status).to.equal(500);
    expect(body.error).to.equal('server_error');
    expect(body).not.to.have.property('access_token');
    expect(text).not.to.include('signing thread lost');
    // ARCHITECTURE.md, "Token path": recorded, never delivered — as when a response is lost.
    expect((await issuedEvent(started[0]!.jti))?.type).to.equal('TokenIssued');
  });

  it('given both sides succeed, then a burst of concurrent requests each gets its own token, each recorded once', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, askForToken));
    const jtis = answers.map((a) => {
      expect(a.status).to.equal(200);
      return decodeJwt(a.body.access_token as string).payload.jti as string;
    });
    expect(new Set(jtis).size).to.equal(20);
    const recorded = (await server.store.readStream(`oauthTokens-${world.ccApp.applicationId}`)).filter((e) =>
      jtis.includes((e.data as { jti: string }).jti),
    );
    expect(recorded).to.have.length(20);
  });
});

import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('configuration from the environment', () => {
  it('given no variables, when loaded, then the documented defaults apply', () => {
    const config = loadConfig({});
    expect(config.port).to.equal(8080);
    expect(config.host).to.equal('127.0.0.1');
    expect(config.issuer).to.equal('http://localhost:8080');
    expect(config.dataDir).to.equal('./var');
    expect(config.keysDir).to.equal('./keys');
    expect(config.accessTokenTtl).to.equal(3600);
    expect(config.refreshTokenTtl).to.equal(2592000);
    expect(config.authorizationCodeTtl).to.equal(600);
    expect(config.refreshTokens).to.equal(true);
    expect(config.loginFailureLimit).to.equal(10);
    expect(config.loginLockout).to.deep.equal({ waitSeconds: 60, maxWaitSeconds: 900, failureResetSeconds: 43200 });
    expect(config.tokenEventRetention).to.equal(90 * 86400);
    expect(config.production).to.equal(false);
    expect(config.eventStoreUrl).to.equal(undefined);
    expect(config.heapGrowingPercent).to.equal(50);
  });

  it('given HEAP_GROWING_PERCENT=0, when loaded, then V8\'s own heap policy is kept (0)', () => {
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).to.equal(0);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '25' }).heapGrowingPercent).to.equal(25);
  });

  it('given durations with units and on/off switches, when loaded, then they are converted', () => {
    const config = loadConfig({ TOKEN_EVENT_RETENTION: '120d', REFRESH_TOKENS: 'off', ISSUER: 'https://auth.example.com/' });
    expect(config.tokenEventRetention).to.equal(120 * 86400);
    expect(config.refreshTokens).to.equal(false);
    expect(config.issuer).to.equal('https://auth.example.com');
  });

  it('given a postgres:// or postgresql:// EVENTSTORE_URL, when loaded, then it is accepted as the event store', () => {
    for (const url of ['postgres://tollgate:pw@db.internal:5432/tollgate', 'postgresql://localhost/tollgate']) {
      expect(loadConfig({ EVENTSTORE_URL: url }).eventStoreUrl).to.equal(url);
    }
  });

  it('given EVENTSTORE_POOL_SIZE, then the PostgreSQL pool takes it (default 8); 0 or a word stops the start naming it', () => {
    expect(loadConfig({}).eventStorePoolSize).to.equal(8);
    expect(loadConfig({ EVENTSTORE_POOL_SIZE: '20' }).eventStorePoolSize).to.equal(20);
    for (const bad of ['0', 'many']) {
      expect(() => loadConfig({ EVENTSTORE_POOL_SIZE: bad })).to.throw(/EVENTSTORE_POOL_SIZE/);
    }
  });

  it('given lockout durations with units, when loaded, then they are seconds', () => {
    const config = loadConfig({ LOGIN_LOCKOUT_WAIT: '2m', LOGIN_LOCKOUT_MAX_WAIT: '1h', LOGIN_FAILURE_RESET_AFTER: '1d' });
    expect(config.loginLockout).to.deep.equal({ waitSeconds: 120, maxWaitSeconds: 3600, failureResetSeconds: 86400 });
  });

  it('given a longest wait shorter than the first, or a quiet period shorter than the longest wait, then the start fails naming it', () => {
    const names = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => p.variable);
      }
    };
    expect(names({ LOGIN_LOCKOUT_WAIT: '10m', LOGIN_LOCKOUT_MAX_WAIT: '5m' })).to.deep.equal(['LOGIN_LOCKOUT_MAX_WAIT']);
    expect(names({ LOGIN_LOCKOUT_MAX_WAIT: '2h', LOGIN_FAILURE_RESET_AFTER: '1h' })).to.deep.equal(['LOGIN_FAILURE_RESET_AFTER']);
  });

  const bad: Array<[string, string]> = [
    ['LOGIN_LOCKOUT_WAIT', '0'],
    ['LOGIN_LOCKOUT_MAX_WAIT', 'forever'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['ACCESS_TOKEN_TTL', '-5'],
    ['REFRESH_TOKENS', 'maybe'],
    ['EVENTSTORE_URL', 'http://localhost:2113'],
    ['MONGO_URL', 'not a url'],
    ['REDIS_URL', 'localhost:6379'],
    ['SMTP_URL', 'mail.example.com'],
    ['NODE_ENV', 'prod'],
    ['LOG_LEVEL', 'loud'],
    ['ADMIN_EMAIL', 'nobody'],
    ['ADMIN_PASSWORD', 'short'],
    ['TOKEN_SIGNING_ALG', 'HS256'],
    ['ISSUER', 'ftp://example.com'],
    ['TOKEN_EVENT_RETENTION', '1d'],
    ['AUTH_CODE_TTL', '3601'],
    ['HEAP_GROWING_PERCENT', 'half'],
    ['HEAP_GROWING_PERCENT', '1001'],
  ];
  for (const [variable, value] of bad) {
    it(`given ${variable}=${value}, when loaded, then the start fails naming ${variable}`, () => {
      let error: unknown;
      try {
        loadConfig({ [variable]: value });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable)).to.include(variable);
      expect((error as ConfigError).message).to.contain(variable);
    });
  }

  it('given several bad values, when loaded, then every one is named at once', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y' });
      expect.fail('should have thrown');
    } catch (e) {
      expect((e as ConfigError).problems.map((p) => p.variable)).to.have.members(['PORT', 'LOG_LEVEL']);
    }
  });
});

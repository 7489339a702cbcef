import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('rate limit configuration', () => {
  it('defaults to off (0) with a 60 s window', () => {
    expect(loadConfig({}).rateLimit).to.deep.equal({ perClient: 0, perIp: 0, windowSeconds: 60 });
  });

  it('reads the three variables', () => {
    const config = loadConfig({ RATE_LIMIT_PER_CLIENT: '600', RATE_LIMIT_PER_IP: '1200', RATE_LIMIT_WINDOW: '10' });
    expect(config.rateLimit).to.deep.equal({ perClient: 600, perIp: 1200, windowSeconds: 10 });
  });

  it('given bad values, then the start fails naming each variable', () => {
    try {
      loadConfig({ RATE_LIMIT_PER_CLIENT: '-1', RATE_LIMIT_PER_IP: 'lots', RATE_LIMIT_WINDOW: '0' });
      expect.fail('expected a ConfigError');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      const variables = (error as ConfigError).problems.map((p) => p.variable);
      expect(variables).to.include.members(['RATE_LIMIT_PER_CLIENT', 'RATE_LIMIT_PER_IP', 'RATE_LIMIT_WINDOW']);
    }
  });
});

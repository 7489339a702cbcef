import { expect } from 'chai';
import { runCli } from './support/runCli.js';

describe('tollgate --help and usage errors (child process)', function () {
  this.timeout(60_000);

  it('given --help, then every command, the configuration note and the exit codes, exit 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).to.equal(0);
    for (const line of ['keys generate', 'keys rotate', 'projections rebuild', 'users unlock <username>', 'users reset-password <username>']) {
      expect(stdout).to.include(line);
    }
    expect(stdout).to.match(/Exit codes: 0 ok, 1 unexpected failure, 2 usage error, 3 invalid configuration,\s+4 not found, 5 store unavailable, 6 refused/);
    expect(stdout).to.include('validated as the server does');
  });

  for (const [args, usage] of [
    [['keys', '--help'], 'Usage: tollgate keys <generate|rotate>'],
    [['keys', 'generate', '--help'], 'Usage: tollgate keys generate'],
    [['keys', 'rotate', '-h'], 'Usage: tollgate keys rotate'],
    [['projections', 'rebuild', '--help'], 'Usage: tollgate projections rebuild'],
    [['users', '--help'], 'Usage: tollgate users <unlock|reset-password> <username>'],
    [['users', 'unlock', '--help'], 'Usage: tollgate users unlock <username>'],
    [['users', 'reset-password', '--help'], 'Usage: tollgate users reset-password <username>'],
  ] as const) {
    it(`given ${args.join(' ')}, then its own help, exit 0`, async () => {
      const { code, stdout } = await runCli([...args]);
      expect(code).to.equal(0);
      expect(stdout.startsWith(usage), stdout).to.equal(true);
    });
  }

  it('given reset-password help, then it says the password is never taken from the command line', async () => {
    expect((await runCli(['users', 'reset-password', '--help'])).stdout).to.match(/never\s+accepted on the command line/);
  });

  it('given no command, an unknown one, a missing or extra argument or an unknown option, then exit 2 with a message on stderr', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /missing command/],
      [['frob'], /unknown command "frob"/],
      [['keys', 'frob'], /unknown command "keys frob"/],
      [['users'], /users: missing command/],
      [['users', 'unlock'], /users unlock: missing <username>/],
      [['users', 'unlock', 'a', 'b'], /unexpected argument "b"/],
      // A password on the command line is refused, not used
      [['users', 'reset-password', 'alice', 'new-password-123'], /unexpected argument "new-password-123"/],
      [['keys', 'rotate', '--force'], /Unknown option '--force'/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).to.equal(2);
      expect(run.stderr, args.join(' ')).to.match(message);
    }
  });

  it('given an invalid environment, then exit 3 naming the variable, as the server would', async () => {
    const run = await runCli(['keys', 'rotate'], { TOKEN_SIGNING_ALG: 'HS256' });
    expect(run.code).to.equal(3);
    expect(run.stderr).to.match(/Invalid configuration:\n\s+TOKEN_SIGNING_ALG:/);
  });
});

import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { passwordToken, startAdmin, type Admin } from '../admin/adminKit.js';
import { ADMIN_PASSWORD } from '../support/tollgateServer.js';
import { runCli, runCliOnTerminal } from './support/runCli.js';

/** Polls a condition (a running server applies another process's writes within its poll). */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('tollgate keys (child process)', function () {
  this.timeout(60_000);
  let dir: TempDir;
  before(async () => (dir = await createTempDir('tollgate-cli-keys-')));
  after(() => dir.remove());

  it('generates once (exit 0, then 6 refused), rotates (0), and never prints key material', async () => {
    const env = { KEYS_DIR: dir.file('keys'), TOKEN_SIGNING_ALG: 'ES256' };
    const generated = await runCli(['keys', 'generate'], env);
    expect(generated.code, generated.stderr).to.equal(0);
    const { active } = JSON.parse(readFileSync(dir.file('keys/keys.json'), 'utf8')) as { active: string };
    expect(generated.stdout).to.include(`Generated ES256 signing key ${active}`);
    const again = await runCli(['keys', 'generate'], env);
    expect(again.code).to.equal(6);
    expect(again.stderr).to.match(/already has signing keys; use "tollgate keys rotate"/);
    const rotated = await runCli(['keys', 'rotate'], env);
    expect(rotated.code, rotated.stderr).to.equal(0);
    expect(rotated.stdout).to.include(`${active} stays in the JWKS for 3600 s`);
    for (const run of [generated, again, rotated]) expect(run.stdout + run.stderr).not.to.include('PRIVATE KEY');
  });

  it('given no keys, when rotating, then exit 4', async () => {
    const run = await runCli(['keys', 'rotate'], { KEYS_DIR: dir.file('empty') });
    expect(run.code).to.equal(4);
    expect(run.stderr).to.match(/no signing keys in .* to rotate/);
  });

  it('the old npm script names still work', async () => {
    const { execFile } = await import('node:child_process');
    const code = await new Promise<number | null>((resolve) => {
      const child = execFile('npm', ['run', '-s', 'keys:generate'], { env: { ...process.env, KEYS_DIR: dir.file('npm-keys') } });
      child.once('exit', resolve);
    });
    expect(code).to.equal(0);
    expect(JSON.parse(readFileSync(dir.file('npm-keys/keys.json'), 'utf8'))).to.have.property('active');
  });
});

describe('tollgate users and projections against a running server\'s store (child process)', function () {
  this.timeout(120_000);
  let admin: Admin;
  let env: Record<string, string>;
  before(async () => {
    admin = await startAdmin({ LOGIN_FAILURE_LIMIT: '2' });
    env = { DATA_DIR: admin.server.config.dataDir };
  });
  after(() => admin.server.stop());

  // Waiting on the server's state cache, not by signing in: each early attempt would be a
  // wrong password, and LOGIN_FAILURE_LIMIT would lock the user again.
  const cachedAdmin = () => admin.server.tollgate.cache.user(admin.adminId)!;
  const passwordChangedFrom = (hash: string) => eventually(async () => cachedAdmin().passwordHash !== hash, 'the new password to reach the server');
  const userEvents = async (type: string) =>
    (await admin.server.tollgate.store.readAll({ maxCount: 100_000 })).filter((e) => e.type === type);

  it('given the only administrator locked out, when "users unlock admin" runs, then they can sign in again, recorded as the system', async () => {
    // Given the administrator locked by wrong passwords
    // (failures are recorded after the answer: wait for each, as a person's pace would)
    for (let i = 0; i < 2; i++) {
      expect((await passwordToken(admin, 'admin', 'wrong-password-123')).status).to.equal(400);
      await eventually(async () => cachedAdmin().loginFailures === i + 1 || cachedAdmin().lockedOutUntil !== null, 'the failure to be recorded');
    }
    await eventually(async () => cachedAdmin().lockedOutUntil !== null, 'the lockout to be recorded');
    expect((await passwordToken(admin, 'admin', ADMIN_PASSWORD)).status).to.equal(400);
    // When the operator unlocks them on the store
    const run = await runCli(['users', 'unlock', 'admin'], env);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/Unlocked admin \(UserUnlocked.*system actor/);
    // Then the running server lets them in, and the event names the system
    await eventually(async () => !cachedAdmin().locked && cachedAdmin().lockedOutUntil === null, 'the unlock to reach the server');
    expect((await passwordToken(admin, 'admin', ADMIN_PASSWORD)).status).to.equal(200);
    const [unlocked] = await userEvents('UserUnlocked');
    expect(unlocked!.metadata).to.include({ actor: 'system', actorKind: 'system' });
    expect(unlocked!.metadata).not.to.have.property('via');
  });

  it('given a new password on stdin, when "users reset-password admin" runs, then only the new password works', async () => {
    const hash = cachedAdmin().passwordHash;
    const run = await runCli(['users', 'reset-password', 'admin'], env, 'brand-new-password-1\n');
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout + run.stderr).not.to.include('brand-new-password-1');
    await passwordChangedFrom(hash);
    expect((await passwordToken(admin, 'admin', 'brand-new-password-1')).status).to.equal(200);
    expect((await passwordToken(admin, 'admin', ADMIN_PASSWORD)).status).to.equal(400);
    const [changed] = await userEvents('UserPasswordChanged');
    expect(changed!.metadata).to.include({ actor: 'system', actorKind: 'system' });
  });

  it('given a terminal, then the password is prompted for twice without echo, and two different entries change nothing', async () => {
    const typed = 'typed-on-terminal-1';
    const hash = cachedAdmin().passwordHash;
    const run = await runCliOnTerminal(['users', 'reset-password', 'admin'], env, [['New password for admin: ', `${typed}\r`], ['Repeat it: ', `${typed}\r`]]);
    expect(run.code, run.stdout).to.equal(0);
    expect(run.stdout).not.to.include(typed);
    await passwordChangedFrom(hash);
    expect((await passwordToken(admin, 'admin', typed)).status).to.equal(200);
    const before = (await userEvents('UserPasswordChanged')).length;
    const differ = await runCliOnTerminal(['users', 'reset-password', 'admin'], env, [['New password for admin: ', 'first-entry-123\r'], ['Repeat it: ', 'other-entry-123\r']]);
    expect(differ.code).to.equal(6);
    expect(differ.stdout).to.include('the two entries differ; nothing was changed');
    expect((await userEvents('UserPasswordChanged')).length).to.equal(before);
  });

  it('refuses a short password (6), empty stdin (2) and an unknown user (4), recording nothing', async () => {
    const before = (await userEvents('UserPasswordChanged')).length;
    const short = await runCli(['users', 'reset-password', 'admin'], env, 'short\n');
    expect(short.code).to.equal(6);
    expect(short.stderr).to.match(/password refused: must be 8 to \d+ characters/);
    const empty = await runCli(['users', 'reset-password', 'admin'], env, '');
    expect(empty.code).to.equal(2);
    const unknown = await runCli(['users', 'unlock', 'nobody-here'], env);
    expect(unknown.code).to.equal(4);
    expect(unknown.stderr).to.include('no user named "nobody-here"');
    expect((await userEvents('UserPasswordChanged')).length).to.equal(before);
  });

  it('rebuilds the read model with plain progress lines off a terminal, and a bar with rate and ETA on one', async () => {
    const plain = await runCli(['projections', 'rebuild'], env);
    expect(plain.code, plain.stderr).to.equal(0);
    expect(plain.stderr).to.match(/^rebuild: 100% [\d,]+ events, [\d,]+ events\/s, ETA \d\d:\d\d$/m);
    expect(plain.stdout).to.match(/Rebuilt the memory read model from sqlite: \d+ events up to position \d+/);
    const onTerminal = await runCliOnTerminal(['projections', 'rebuild'], env);
    expect(onTerminal.code, onTerminal.stdout).to.equal(0);
    expect(onTerminal.stdout).to.match(/\r\[#{30}\] 100% [\d,]+ events [\d,]+ events\/s ETA \d\d:\d\d/);
  });

  it('given a DATA_DIR without a store, then exit 4 and no store is created there', async () => {
    const empty = await createTempDir('tollgate-cli-empty-');
    try {
      const run = await runCli(['users', 'unlock', 'admin'], { DATA_DIR: empty.file('var') });
      expect(run.code).to.equal(4);
      expect(run.stderr).to.match(/no event store at .*events\.sqlite \(check DATA_DIR\)/);
      expect(existsSync(empty.file('var'))).to.equal(false);
    } finally {
      await empty.remove();
    }
  });

  it('given a store that cannot be opened, then exit 5 naming the file', async () => {
    const broken = await createTempDir('tollgate-cli-broken-');
    try {
      mkdirSync(broken.file('var'));
      writeFileSync(broken.file('var/events.sqlite'), 'not a database '.repeat(400));
      const run = await runCli(['users', 'unlock', 'admin'], { DATA_DIR: broken.file('var') });
      expect(run.code).to.equal(5);
      expect(run.stderr).to.include('events.sqlite is not a valid SQLite database');
    } finally {
      await broken.remove();
    }
  });
});

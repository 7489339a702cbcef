import { expect } from 'chai';
import { ConcurrencyError, StoreUnavailableError } from '../../src/eventStore/eventStore.js';
import { isUnavailablePgError, toPortError } from '../../src/eventStore/postgres/pgErrors.js';

const pgError = (code: string, message = 'boom', extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...extra });

describe('PostgreSQL errors in the port’s terms (pure mapping)', function () {
  const append = { streamName: 'order-1', expected: 2 as const };

  it('maps a unique violation (23505) to a ConcurrencyError naming the revision taken', function () {
    const error = toPortError(pgError('23505', 'duplicate key', { detail: 'Key (stream, revision)=(order-1, 3) already exists.' }), 'append', append);

    expect(error).to.be.instanceOf(ConcurrencyError);
    expect(error).to.include({ streamName: 'order-1', expected: 2, actual: 3 });
  });

  it('maps a unique violation without a readable detail to a ConcurrencyError all the same', function () {
    expect(toPortError(pgError('23505'), 'append', append)).to.be.instanceOf(ConcurrencyError);
  });

  const unavailable: Array<[string, Error]> = [
    ['connection refused', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', pgError('ECONNRESET', 'read ECONNRESET')],
    ['admin shutdown (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown (57P02)', pgError('57P02')],
    ['cannot connect now (57P03)', pgError('57P03', 'the database system is starting up')],
    ['connection failure (08006)', pgError('08006')],
    ['too many connections (53300)', pgError('53300')],
    ['disk full (53100)', pgError('53100')],
    ['read-only standby (25006)', pgError('25006')],
    ['deadlock (40P01)', pgError('40P01')],
    ['missing database (3D000)', pgError('3D000', 'database "x" does not exist')],
    ['refused login (28P01)', pgError('28P01', 'password authentication failed for user "u"')],
    ['terminated connection (no code)', new Error('Connection terminated unexpectedly')],
    ['pool connect timeout (no code)', new Error('timeout exceeded when trying to connect')],
    ['every address refused', new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')], '')],
  ];
  for (const [label, driverError] of unavailable) {
    it(`maps ${label} to StoreUnavailableError, keeping the cause`, function () {
      const error = toPortError(driverError, 'append', append);

      expect(error).to.be.instanceOf(StoreUnavailableError);
      expect((error as Error).message).to.contain('append').and.to.contain('PostgreSQL');
      expect((error as Error).cause).to.equal(driverError);
    });
  }

  it('passes other errors through (a bug is not an outage), and port errors unchanged', function () {
    const syntax = pgError('42601', 'syntax error');
    const conflict = new ConcurrencyError('s', 0, 1);

    expect(toPortError(syntax, 'read')).to.equal(syntax);
    expect(toPortError(conflict, 'append', append)).to.equal(conflict);
    expect(isUnavailablePgError(new TypeError('bad'))).to.equal(false);
  });

  it('never puts a connection string in the message', function () {
    const error = toPortError(pgError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:5432'), 'open') as Error;

    expect(error.message).not.to.match(/postgres(ql)?:\/\//);
  });
});

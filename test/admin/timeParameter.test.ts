import { expect } from 'chai';
import { parseTimeParameter } from '../../src/admin/applicationAccess.js';

describe('time parameters (asOf, from, to): ISO-8601, UTC unless a zone is given', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('given a date-time without a zone on a server in another zone, then it is read as UTC', () => {
    process.env.TZ = 'America/New_York';
    expect(parseTimeParameter('asOf', '2026-01-01T10:00')!.toISOString()).to.equal('2026-01-01T10:00:00.000Z');
    expect(parseTimeParameter('asOf', '2026-01-01 10:00:30')!.toISOString()).to.equal('2026-01-01T10:00:30.000Z');
  });

  it('given a zone, then the zone is honoured', () => {
    expect(parseTimeParameter('from', '2026-01-01T10:00:00+02:00')!.toISOString()).to.equal('2026-01-01T08:00:00.000Z');
    expect(parseTimeParameter('from', '2026-01-01T10:00:00Z')!.toISOString()).to.equal('2026-01-01T10:00:00.000Z');
  });

  it('given a date alone, then midnight UTC', () => {
    process.env.TZ = 'Asia/Tokyo';
    expect(parseTimeParameter('to', '2026-03-01')!.toISOString()).to.equal('2026-03-01T00:00:00.000Z');
  });

  it('given no value, then none; given garbage, a list, or a day that does not exist, then a 400 naming the field', () => {
    expect(parseTimeParameter('asOf', undefined)).to.equal(undefined);
    for (const bad of ['yesterday', '2026-02-30T00:00', '2026-01-01T24:00', ['2026-01-01']]) {
      expect(() => parseTimeParameter('asOf', bad)).to.throw().with.property('status', 400);
    }
  });
});

import { expect } from 'chai';
import { DomainError } from '../../src/domain/shared/domainError.js';
import { gridQuery, parseGridQuery, type GridQueryInput } from '../../projections/gridQuery.js';
import { parseDirectoryPaging } from '../../projections/directoryQuery.js';
import { compareCodePoints } from '../../projections/paging.js';

const fieldErrors = (input: GridQueryInput): string[] => {
  try {
    parseGridQuery(input);
  } catch (error) {
    expect(error).to.be.instanceOf(DomainError);
    expect((error as DomainError).code).to.equal('VALIDATION');
    return (error as DomainError).errors.map((e) => e.field);
  }
  throw new Error('expected a validation error');
};

describe('grid query', () => {
  describe('validation', () => {
    it('refuses perPage=100000, perPage=0 and a non-numeric perPage', () => {
      expect(fieldErrors({ perPage: '100000' })).to.deep.equal(['perPage']);
      expect(fieldErrors({ perPage: '0' })).to.deep.equal(['perPage']);
      expect(fieldErrors({ perPage: '10abc' })).to.deep.equal(['perPage']);
    });

    it('refuses negative, zero, fractional and huge pages', () => {
      for (const page of ['-1', '0', '1.5', '99999999999999999999']) expect(fieldErrors({ page })).to.deep.equal(['page']);
    });

    it('refuses an unknown sort key and a doubled direction', () => {
      expect(fieldErrors({ sort: 'secretHash' })).to.deep.equal(['sort']);
      expect(fieldErrors({ sort: '-name:desc' })).to.deep.equal(['sort']);
      expect(fieldErrors({ sort: 'name:sideways' })).to.deep.equal(['sort']);
    });

    it('refuses an unknown grant, a non-boolean active, a repeated parameter and a 256-char name', () => {
      expect(fieldErrors({ grant: 'implicit' })).to.deep.equal(['grant']);
      expect(fieldErrors({ active: 'maybe' })).to.deep.equal(['active']);
      expect(fieldErrors({ name: ['a', 'b'] })).to.deep.equal(['name']);
      expect(fieldErrors({ name: 'x'.repeat(256) })).to.deep.equal(['name']);
      expect(fieldErrors({ organizationId: 42 })).to.deep.equal(['organizationId']);
    });

    it('names every bad field at once', () => {
      expect(fieldErrors({ page: '-1', perPage: '100000', sort: 'nope' })).to.have.members(['page', 'perPage', 'sort']);
    });

    it('validates directory paging the same way', () => {
      expect(() => parseDirectoryPaging({ perPage: '100000' })).to.throw(DomainError);
      expect(parseDirectoryPaging({})).to.deep.equal({ page: 1, perPage: 25 });
    });
  });

  describe('parsing', () => {
    it('defaults to page 1 of 25, newest first, deleted hidden', () => {
      expect(parseGridQuery({})).to.deep.include({ page: 1, perPage: 25, sort: { field: 'createdAt', direction: 'desc' } });
      expect(parseGridQuery({}).filter.includeDeleted).to.equal(false);
    });

    it('reads sort directions as -field, field:asc and field:desc', () => {
      expect(parseGridQuery({ sort: '-name' }).sort).to.deep.equal({ field: 'name', direction: 'desc' });
      expect(parseGridQuery({ sort: 'lastUsedAt:desc' }).sort).to.deep.equal({ field: 'lastUsedAt', direction: 'desc' });
      expect(parseGridQuery({ sort: 'active' }).sort).to.deep.equal({ field: 'active', direction: 'asc' });
    });

    it('lets a forced owner or grant win and makes a contradicting request match nothing', () => {
      const mine = parseGridQuery({}, { organizationIds: null, ownerUserId: 'me', grant: 'client_credentials' });
      expect(mine.filter).to.deep.include({ ownerUserId: 'me', grant: 'client_credentials' });
      const foreign = gridQuery({ ownerUserId: 'other' }, { organizationIds: null, ownerUserId: 'me' });
      expect(foreign.mongo.filter).to.deep.include({ _id: { $in: [] } });
    });
  });

  describe('compiling to MongoDB', () => {
    it('builds one filter + sort document from the same description', () => {
      const compiled = gridQuery(
        { name: 'A.b', active: 'true', grant: 'password', ownerUserId: 'u1', sort: '-lastUsedAt', page: '3', perPage: '10' },
        { organizationIds: ['o1', 'o2'] },
      );
      expect(compiled.mongo).to.deep.equal({
        filter: {
          deleted: false,
          organizationId: { $in: ['o1', 'o2'] },
          nameLower: { $regex: 'a\\.b' },
          active: true,
          grants: 'password',
          ownerUserId: 'u1',
        },
        sort: [['lastUsedAt', -1], ['_id', -1]],
        skip: 20,
        limit: 10,
      });
    });

    it('narrows the allow-list to the organization filter, or to nothing outside it', () => {
      expect(gridQuery({ organizationId: 'o1' }, { organizationIds: ['o1', 'o2'] }).mongo.filter.organizationId).to.equal('o1');
      expect(gridQuery({ organizationId: 'o3' }, { organizationIds: ['o1'] }).mongo.filter.organizationId).to.deep.equal({ $in: [] });
      expect(gridQuery({}).mongo.filter).not.to.have.property('organizationId');
    });
  });

  describe('name filter and order, the same in MongoDB and in memory', () => {
    const mongoPattern = (name: string): string => (gridQuery({ name }).mongo.filter.nameLower as { $regex: string }).$regex;

    it('writes NUL as \\x00, since MongoDB refuses a NUL byte in a pattern, and still matches it literally', () => {
      const pattern = mongoPattern('a\u0000b');

      expect(pattern).not.to.include('\u0000');
      expect(pattern).to.equal('a\\x00b');
      expect(new RegExp(pattern).test('xa\u0000by')).to.equal(true);
      expect(new RegExp(pattern).test('ab')).to.equal(false);
    });

    it('escapes every regex metacharacter, so a pattern matches only its literal text', () => {
      const hostile = '.*+?^${}()|[]\\';
      const pattern = mongoPattern(hostile);

      expect(new RegExp(pattern).test(`x${hostile}y`)).to.equal(true);
      expect(new RegExp(pattern).test('anything')).to.equal(false);
    });

    it('compares strings by code point (UTF-8 byte order), not by UTF-16 code unit', () => {
      const byCodePoint = ['a', 'ω', '\uE000', '\uFF5E', '😀', '😀a'];
      const shuffled = [...byCodePoint].reverse();

      expect([...shuffled].sort(compareCodePoints)).to.deep.equal(byCodePoint);
      expect(['😀', '\uFF5E'].sort()).to.deep.equal(['😀', '\uFF5E']); // what plain < would do
      expect(byCodePoint.map((s) => Buffer.from(s, 'utf8').toString('hex'))).to.deep.equal(
        byCodePoint.map((s) => Buffer.from(s, 'utf8').toString('hex')).sort(),
      );
      expect(compareCodePoints('same', 'same')).to.equal(0);
    });
  });
});

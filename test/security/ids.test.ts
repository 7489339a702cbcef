import { expect } from 'chai';
import { newEventId, newId } from '../../src/security/ids.js';

describe('ids', () => {
  it('given event ids made one after another, then they are UUID v7 and sort in creation order', () => {
    const ids = Array.from({ length: 1000 }, () => newEventId());
    for (const id of ids) expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).to.deep.equal(ids);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('given an event id, then its first 48 bits are the creation time in ms', () => {
    const before = Date.now();
    const id = newEventId();
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).to.be.within(before, Date.now());
  });

  it('given aggregate ids, then they stay random UUID v4 (no creation time in them)', () => {
    const id = newId();
    expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newId()).not.to.equal(id);
  });
});

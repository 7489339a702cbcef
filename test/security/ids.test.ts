import { expect } from 'chai';
import { newId } from '../../src/security/ids.js';

describe('ids', () => {
  it('are random UUIDs', () => {
    const id = newId();
    expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newId()).not.to.equal(id);
  });
});

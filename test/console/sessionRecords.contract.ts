import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { SessionRecords } from '../../src/console/session/sessionRecords.js';

/** The session records contract: every backend (memory, PostgreSQL, Redis) passes it. */
export function sessionRecordsContract(label: string, open: () => Promise<SessionRecords | undefined>): void {
  describe(`session records contract: ${label}`, function () {
    let records: SessionRecords;
    before(async function () {
      const opened = await open();
      if (!opened) return this.skip();
      records = opened;
    });
    after(async () => records?.close());
    const key = () => randomUUID();
    const inAnHour = () => Date.now() + 3_600_000;

    it('given a record, when read, then its value; when replaced, then the new value; when deleted, then none', async () => {
      const k = key();
      await records.put('console', k, 'first', inAnHour());
      expect(await records.get('console', k)).to.equal('first');
      await records.put('console', k, 'second', inAnHour());
      expect(await records.get('console', k)).to.equal('second');
      await records.delete('console', k);
      expect(await records.get('console', k)).to.equal(undefined);
      await records.delete('console', k); // deleting what is gone is no error
    });

    it('given a record, when replaced, then the new value; when deleted or never written, then a replace writes nothing', async () => {
      const k = key();
      expect(await records.replace('console', k, 'nothing yet', inAnHour())).to.equal(false);
      expect(await records.get('console', k)).to.equal(undefined);
      await records.put('console', k, 'first', inAnHour());
      expect(await records.replace('console', k, 'second', inAnHour())).to.equal(true);
      expect(await records.get('console', k)).to.equal('second');
      await records.delete('console', k);
      expect(await records.replace('console', k, 'back from the dead', inAnHour())).to.equal(false);
      expect(await records.get('console', k)).to.equal(undefined);
    });

    it('given a record past its time, then a replace writes nothing', async () => {
      const k = key();
      await records.put('console', k, 'soon gone', Date.now() + 300);
      await new Promise((r) => setTimeout(r, 1_200));
      expect(await records.replace('console', k, 'too late', inAnHour())).to.equal(false);
      expect(await records.get('console', k)).to.equal(undefined);
    });

    it('given the same key under each kind, then they are separate records', async () => {
      const k = key();
      await records.put('console', k, 'console value', inAnHour());
      await records.put('console-tokens', k, 'tokens value', inAnHour());
      await records.put('authorize', k, 'authorize value', inAnHour());
      expect(await records.get('console', k)).to.equal('console value');
      expect(await records.get('console-tokens', k)).to.equal('tokens value');
      expect(await records.get('authorize', k)).to.equal('authorize value');
      await records.delete('authorize', k);
      expect(await records.get('console', k)).to.equal('console value');
      expect(await records.get('console-tokens', k)).to.equal('tokens value');
    });

    it('given a record past its time, then it is not returned', async () => {
      const k = key();
      await records.put('console', k, 'soon gone', Date.now() + 300);
      expect(await records.get('console', k)).to.equal('soon gone');
      await new Promise((r) => setTimeout(r, 1_200));
      expect(await records.get('console', k)).to.equal(undefined);
    });

    it('given an unknown key, then none', async () => {
      expect(await records.get('console', key())).to.equal(undefined);
    });

    it('given many writers of one record at once, then one of their values, whole', async () => {
      const k = key();
      const values = Array.from({ length: 20 }, (_, i) => `value-${i}-${'x'.repeat(2_000)}`);
      await Promise.all(values.map((v) => records.put('console', k, v, inAnHour())));
      expect(values).to.include(await records.get('console', k));
    });
  });
}

import { expect } from 'chai';
import type { UniqueKeyCommand } from '../../../src/domain/uniqueness/uniqueKeyCommands.js';
import { uniqueKeyDecider } from '../../../src/domain/uniqueness/uniqueKeyDecider.js';
import type { UniqueKeyEvent } from '../../../src/domain/uniqueness/uniqueKeyEvents.js';
import { toReservationStreamName } from '../../../src/domain/uniqueness/uniqueKeyStreamName.js';
import { DeciderSpecification } from '../../support/deciderSpecification.js';
import { NOW, metadataAt } from '../metadata.js';

const given = DeciderSpecification.for(uniqueKeyDecider);
const key = 'org-1\u0000user-1\u0000billing';
const inOneMinute = new Date(NOW.getTime() + 60_000).toISOString();
const reserved = (ownerId: string, leaseUntil = inOneMinute): UniqueKeyEvent => ({
  type: 'UniqueKeyReserved',
  data: { key, ownerId, leaseUntil },
});
const released = (ownerId: string): UniqueKeyEvent => ({ type: 'UniqueKeyReleased', data: { key, ownerId } });
const reserve = (ownerId: string, extra: { holderStillHoldsKey?: boolean; now?: Date } = {}): UniqueKeyCommand => ({
  type: 'ReserveUniqueKey',
  data: {
    key,
    ownerId,
    leaseSeconds: 60,
    field: 'name',
    ...(extra.holderStillHoldsKey !== undefined && { holderStillHoldsKey: extra.holderStillHoldsKey }),
  },
  metadata: metadataAt(extra.now),
});
const release = (ownerId: string): UniqueKeyCommand => ({ type: 'ReleaseUniqueKey', data: { key, ownerId }, metadata: metadataAt() });
const later = new Date(NOW.getTime() + 120_000);

describe('unique key decider', () => {
  it('reserves a free key with a lease from the command time', () => given([]).when(reserve('a')).then([reserved('a')]));

  it('reserves a released key', () => given([reserved('a'), released('a')]).when(reserve('b')).then([reserved('b')]));

  it('is idempotent for the same owner', () => given([reserved('a')]).when(reserve('a')).thenNothingHappened());

  it('refuses another owner while the lease runs, even if the holder does not show the key yet', () => {
    const error = given([reserved('a')]).when(reserve('b', { holderStillHoldsKey: false })).thenThrows('DUPLICATE_NAME');
    expect(error.errors).to.deep.equal([{ field: 'name', message: 'is already taken' }]);
  });

  it('refuses another owner after the lease while the holder still holds the key', () =>
    given([reserved('a')]).when(reserve('b', { holderStillHoldsKey: true, now: later })).thenThrows('DUPLICATE_NAME'));

  it('refuses another owner after the lease when nobody checked the holder', () =>
    given([reserved('a')]).when(reserve('b', { now: later })).thenThrows('DUPLICATE_NAME'));

  it('takes over a stale reservation (lease over, holder no longer holds the key), visibly', () =>
    given([reserved('a')])
      .when(reserve('b', { holderStillHoldsKey: false, now: later }))
      .then([released('a'), reserved('b', new Date(later.getTime() + 60_000).toISOString())]));

  it('refuses bad input', () => {
    const bad: UniqueKeyCommand = { type: 'ReserveUniqueKey', data: { key: '', ownerId: '', leaseSeconds: 0 }, metadata: metadataAt() };
    const error = given([]).when(bad).thenThrows('VALIDATION');
    expect(error.errors.map((e) => e.field)).to.deep.equal(['key', 'ownerId', 'leaseSeconds']);
  });

  it('releases only for the holder, idempotently', () => {
    given([reserved('a')]).when(release('a')).then([released('a')]);
    given([reserved('a')]).when(release('b')).thenNothingHappened();
    given([]).when(release('a')).thenNothingHappened();
    given([reserved('a'), released('a')]).when(release('a')).thenNothingHappened();
  });

  it('names reservation streams by scope and the sha256 of the key', () => {
    const name = toReservationStreamName('applicationName', key);
    expect(name).to.match(/^unique-applicationName-[0-9a-f]{64}$/);
    expect(toReservationStreamName('applicationName', key)).to.equal(name);
    expect(toReservationStreamName('username', key)).not.to.equal(name);
    expect(toReservationStreamName('applicationName', `${key}x`)).not.to.equal(name);
  });
});

import { expect } from 'chai';
import { commitMatches } from '../../src/eventStore/catchUpSubscription.js';
import { notifyPayload, parseNotifyPayload } from '../../src/eventStore/postgres/pgNotifyPayload.js';

describe('PostgreSQL commit announcements (NOTIFY payloads)', function () {
  it('names each stream and its event types, so other nodes wake only the subscriptions a commit can match', function () {
    const payload = notifyPayload('node-1', [{ streamName: 'oauthApplication-7', types: ['ApplicationCreated', 'ApplicationCreated'] }]);

    const { nodeId, committed } = parseNotifyPayload(payload);

    expect(nodeId).to.equal('node-1');
    expect(committed).to.deep.equal([{ streamName: 'oauthApplication-7', types: ['ApplicationCreated'] }]);
    expect(commitMatches({ streamPrefixes: ['oauthApplication-'] }, committed!)).to.equal(true);
    expect(commitMatches({ eventTypes: ['TokenIssued'] }, committed!)).to.equal(false);
  });

  it('given a batch too big for one notification (8000 bytes), then it names stream categories, still matching the same filters', function () {
    const committed = Array.from({ length: 400 }, (_, i) => ({ streamName: `oauthTokens-${'x'.repeat(30)}${i}`, types: ['TokenIssued'] }));

    const payload = notifyPayload('node-1', committed);
    const parsed = parseNotifyPayload(payload).committed!;

    expect(payload.length).to.be.below(8000);
    expect(parsed).to.deep.equal([{ streamName: 'oauthTokens-', types: ['TokenIssued'] }]);
    expect(commitMatches({ streamPrefixes: ['oauthTokens-'] }, parsed)).to.equal(true);
    expect(commitMatches({ streamPrefixes: ['oauthApplication-'] }, parsed)).to.equal(false);
  });

  it('reads a malformed or foreign payload as "anything may have been committed"', function () {
    for (const payload of [undefined, '', 'not json', '{"c": "nope"}', '[1,2]']) {
      expect(parseNotifyPayload(payload).committed).to.equal(undefined);
    }
    expect(parseNotifyPayload('{"n":"x","c":[["s",["T",3]],[1,2]]}').committed).to.deep.equal([{ streamName: 's', types: ['T'] }]);
  });
});

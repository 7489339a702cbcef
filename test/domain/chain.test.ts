import { expect } from 'chai';
import { chainIncludes, chainToArray, emptyChain, prepend, type Chain } from '../../src/domain/shared/chain.js';

describe('Chain (immutable list for decider state)', () => {
  it('given items prepended, then it lists them oldest first and finds each', () => {
    let chain: Chain<string> = emptyChain;
    for (const item of ['a', 'b', 'c']) chain = prepend(chain, item);
    expect(chainToArray(chain)).to.deep.equal(['a', 'b', 'c']);
    expect(['a', 'b', 'c', 'd'].map((i) => chainIncludes(chain, i))).to.deep.equal([true, true, true, false]);
  });

  it('given a chain, when extended, then the original is unchanged', () => {
    const one = prepend<string>(emptyChain, 'a');
    const two = prepend(one, 'b');
    expect(chainToArray(one)).to.deep.equal(['a']);
    expect(chainToArray(two)).to.deep.equal(['a', 'b']);
  });

  it('given the empty chain, then it is empty', () => {
    expect(chainToArray(emptyChain)).to.deep.equal([]);
    expect(chainIncludes(emptyChain, 'a')).to.equal(false);
  });

  it('given 100,000 items, then listing and searching do not recurse (no stack overflow)', () => {
    let chain: Chain<number> = emptyChain;
    for (let i = 0; i < 100_000; i++) chain = prepend(chain, i);
    expect(chainToArray(chain)).to.have.length(100_000);
    expect(chainIncludes(chain, 0)).to.equal(true);
  });
});

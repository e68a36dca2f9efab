import { describe, expect, it } from 'vitest';
import { ProducerAuditCache } from './producer-audit-cache.js';

describe('ProducerAuditCache', () => {
  it('tells a producer without a row (null) from one it does not know (undefined)', () => {
    const cache = new ProducerAuditCache(10);
    cache.remember(cache.current(), [['ID:a', 4], ['ID:b', null]]);
    expect([cache.get('ID:a'), cache.get('ID:b'), cache.get('ID:c')]).toEqual([4, null, undefined]);
  });

  it('ignores what a group learned before the cache was cleared by a new fence', () => {
    const cache = new ProducerAuditCache(10);
    const before = cache.current();
    cache.clear();
    cache.remember(before, [['ID:a', 9]]);
    expect(cache.get('ID:a')).toBeUndefined();
  });

  it('forgets the least recently advanced producers beyond its capacity, and those a failed commit touched', () => {
    const cache = new ProducerAuditCache(2);
    cache.remember(cache.current(), [['ID:a', 1], ['ID:b', 1]]);
    cache.remember(cache.current(), [['ID:a', 2]]);
    cache.remember(cache.current(), [['ID:c', 1]]);
    expect([cache.get('ID:a'), cache.get('ID:b'), cache.get('ID:c')]).toEqual([2, undefined, 1]);
    cache.forget(['ID:c']);
    expect(cache.get('ID:c')).toBeUndefined();
  });
});

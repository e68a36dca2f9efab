import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../util/clock.js';
import { DEFAULT_FAILOVER_OPTIONS } from './failover-uri.js';
import { PendingSends } from './pending-sends.js';

const clock = createManualClock();

describe('PendingSends', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('stamps producer-id and an increasing producer-seq on every send', () => {
    const sends = new PendingSends('P1', DEFAULT_FAILOVER_OPTIONS, clock);
    const a = sends.add('/queue/q', Buffer.from('a'), {}, false).pending;
    const b = sends.add('/queue/q', Buffer.from('b'), {}, false).pending;
    expect(a.headers).toContainEqual(['producer-id', 'P1']);
    expect([a, b].map((p) => p.headers.find(([n]) => n === 'producer-seq')![1])).toEqual(['1', '2']);
    expect(a.headers).toContainEqual(['persistent', 'true']);
  });

  it('resends every unreceipted send in producer order with the same producer-seq, and reports it as resent', async () => {
    const sends = new PendingSends('P1', DEFAULT_FAILOVER_OPTIONS, clock);
    const first = sends.add('/queue/q', Buffer.from('a'), {}, false);
    sends.add('/queue/q', Buffer.from('b'), {}, false);
    sends.receipted('send-2');
    sends.interrupt();
    const again = sends.resume();
    expect(again.map((p) => p.seq)).toEqual([1]);
    sends.receipted('send-1');
    await expect(first.promise).resolves.toMatchObject({ producerSeq: 1, resent: true, receiptedAt: clock.now() });
  });

  it('fails a send with TIMEOUT once it waited `timeout` ms for a connection', async () => {
    const sends = new PendingSends('P1', { ...DEFAULT_FAILOVER_OPTIONS, timeout: 500 }, clock);
    const { promise } = sends.add('/queue/q', Buffer.from('a'), {}, true);
    const settled = promise.catch((e: Error & { code: string }) => e.code);
    vi.advanceTimersByTime(499);
    expect(sends.size).toBe(1);
    vi.advanceTimersByTime(1);
    await expect(settled).resolves.toBe('TIMEOUT');
    expect(sends.size).toBe(0);
  });

  it('waits forever with timeout -1', () => {
    const sends = new PendingSends('P1', DEFAULT_FAILOVER_OPTIONS, clock);
    sends.add('/queue/q', Buffer.from('a'), {}, true);
    vi.advanceTimersByTime(3_600_000);
    expect(sends.size).toBe(1);
  });

  it('keeps sends without receipt for replay only with trackMessages, bounded by maxCacheSize', () => {
    const untracked = new PendingSends('P1', DEFAULT_FAILOVER_OPTIONS, clock);
    untracked.add('/queue/q', Buffer.from('a'), { receipt: false }, false);
    expect(untracked.resume()).toHaveLength(0);
    const tracked = new PendingSends('P1', { ...DEFAULT_FAILOVER_OPTIONS, trackMessages: true, maxCacheSize: 2 }, clock);
    for (const body of ['a', 'b', 'c']) tracked.add('/queue/q', Buffer.from(body), { receipt: false }, false);
    expect(tracked.resume().map((p) => p.body.toString())).toEqual(['b', 'c']);
  });
});

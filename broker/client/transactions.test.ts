import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../util/clock.js';
import { DEFAULT_FAILOVER_OPTIONS } from './failover-uri.js';
import { PendingSends } from './pending-sends.js';
import { Transactions } from './transactions.js';
import type { TransactionHost } from './transactions.js';

const clock = createManualClock();

function setup(options = DEFAULT_FAILOVER_OPTIONS) {
  const sends = new PendingSends('P1', options, clock);
  const frames: string[] = [];
  const host: TransactionHost & { up: boolean } = {
    up: true,
    nextSeq: () => sends.nextSeq(),
    sendHeaders: sends.sendHeaders.bind(sends),
    write: (command: string, headers: ReadonlyArray<readonly [string, string]>) => {
      if (host.up) frames.push(`${command} ${headers.map(([k, v]) => `${k}=${v}`).join(' ')}`);
    },
    connected: () => host.up,
  };
  return { txs: new Transactions('c', options, clock), sends, frames, host };
}

describe('Transactions', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes BEGIN, SENDs with the transaction and producer-seq, and a COMMIT that resolves on its RECEIPT', async () => {
    const { txs, frames, host } = setup();
    const tx = txs.begin(host);
    expect([tx.send('/queue/q', 'a'), tx.send('/queue/q', 'b')]).toEqual([1, 2]);
    const committed = tx.commit();
    expect(frames).toEqual([
      'BEGIN transaction=tx-c-1',
      'SEND destination=/queue/q persistent=true producer-id=P1 producer-seq=1 transaction=tx-c-1',
      'SEND destination=/queue/q persistent=true producer-id=P1 producer-seq=2 transaction=tx-c-1',
      'COMMIT transaction=tx-c-1 receipt=commit-tx-c-1',
    ]);
    expect(txs.receipted('commit-tx-c-1')).toBe(true);
    await expect(committed).resolves.toEqual({ transaction: 'tx-c-1', producerSeqs: [1, 2], receiptedAt: clock.now(), resent: false });
    expect(txs.size).toBe(0);
  });

  it('replays an in-doubt COMMIT whole on the next connection and reports it as resent', async () => {
    const { txs, frames, host } = setup();
    const tx = txs.begin(host);
    tx.send('/queue/q', 'a');
    const committed = tx.commit();
    host.up = false;
    txs.interrupt();
    frames.length = 0;
    host.up = true;
    for (const t of txs.resume()) t.replay(host.write);
    expect(frames.map((f) => f.split(' ')[0])).toEqual(['BEGIN', 'SEND', 'COMMIT']);
    txs.receipted('commit-tx-c-1');
    await expect(committed).resolves.toMatchObject({ resent: true, producerSeqs: [1] });
  });

  it('treats an ABORT as done when the connection breaks: the broker dropped the transaction with it', async () => {
    const { txs, host } = setup();
    const tx = txs.begin(host);
    tx.send('/queue/q', 'a');
    const aborted = tx.abort();
    txs.interrupt();
    await expect(aborted).resolves.toBeUndefined();
    expect(txs.resume()).toEqual([]);
    expect(() => tx.send('/queue/q', 'b')).toThrow(/aborted/);
  });

  it('fails a COMMIT that waited longer than timeout for a connection with TIMEOUT (in doubt)', async () => {
    const { txs, host } = setup({ ...DEFAULT_FAILOVER_OPTIONS, timeout: 500 });
    const tx = txs.begin(host);
    tx.send('/queue/q', 'a');
    host.up = false;
    const committed = tx.commit();
    vi.advanceTimersByTime(499);
    expect(txs.size).toBe(1);
    vi.advanceTimersByTime(1);
    await expect(committed).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(tx.state).toBe('failed');
  });

  it('replays open transactions in producer order, after the plain sends numbered before them', () => {
    const { txs, sends, host } = setup();
    const first = txs.begin(host);
    first.send('/queue/q', 'a');
    sends.add('/queue/q', Buffer.from('plain'), {}, false);
    const second = txs.begin(host);
    second.send('/queue/q', 'b');
    expect(txs.resume().map((t) => t.firstSeq)).toEqual([1, 3]);
  });
});

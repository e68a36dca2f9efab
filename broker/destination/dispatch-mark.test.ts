import { describe, expect, it } from 'vitest';
import { DISPATCH_MARK_CHUNK, DispatchMark, isDispatchMarkRow } from './dispatch-mark.js';

/** A writer whose commits resolve only when the test says so. */
function controlledWriter() {
  const writes: Array<{ mark: number; create: boolean; resolve: () => void; reject: (e: Error) => void }> = [];
  return {
    writes,
    write: (mark: number, create: boolean) => new Promise<void>((resolve, reject) => writes.push({ mark, create, resolve, reject })),
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('DispatchMark', () => {
  it('covers an id only once the write that reaches beyond it has committed', async () => {
    const w = controlledWriter();
    let advanced = 0;
    const mark = new DispatchMark(null, w.write, () => advanced++);
    expect(mark.covers(1)).toBe(false);
    expect(w.writes).toEqual([expect.objectContaining({ mark: 1 + DISPATCH_MARK_CHUNK, create: true })]);
    expect(mark.covers(2)).toBe(false);
    expect(w.writes).toHaveLength(1);
    w.writes[0]?.resolve();
    await settled();
    expect(advanced).toBe(1);
    expect(mark.stored).toBe(1 + DISPATCH_MARK_CHUNK);
    expect(mark.covers(2)).toBe(true);
  });

  it('writes at most once per chunk of ids and starts the next write before dispatch reaches the mark', async () => {
    const w = controlledWriter();
    const mark = new DispatchMark(null, w.write, () => {});
    let waited = 0;
    for (let id = 1; id <= 10 * DISPATCH_MARK_CHUNK; id++) {
      if (!mark.covers(id)) waited++;
      const open = w.writes.find((x) => x.mark > mark.stored);
      open?.resolve();
      await settled();
    }
    // One write per chunk of ids dispatched, plus the one that created the row.
    expect(w.writes.length).toBeLessThanOrEqual(10 + 1);
    expect(w.writes.slice(1).every((x) => !x.create)).toBe(true);
    // Only the very first id waited: later writes were committed ahead of need.
    expect(waited).toBe(1);
  });

  it('a recovered mark covers its ids without a write, and a failed write is tried again later', async () => {
    const w = controlledWriter();
    const mark = new DispatchMark(500, w.write, () => {});
    expect(mark.covers(100)).toBe(true);
    expect(w.writes).toHaveLength(0);
    expect(mark.covers(600)).toBe(false);
    expect(w.writes[0]).toMatchObject({ mark: 600 + DISPATCH_MARK_CHUNK, create: false });
    w.writes[0]?.reject(new Error('store down'));
    await settled();
    expect(mark.covers(600)).toBe(false);
    expect(w.writes).toHaveLength(2);
  });

  it('recognises only its reserved row under a queue container', () => {
    const row = { clientId: 'ActiveMQ.DispatchMark', subName: 'ActiveMQ.DispatchMark' };
    expect(isDispatchMarkRow({ container: 'queue://a', ...row })).toBe(true);
    expect(isDispatchMarkRow({ container: 'topic://a', ...row })).toBe(false);
    expect(isDispatchMarkRow({ container: 'queue://a', clientId: 'ActiveMQ.DispatchMark', subName: 'mine' })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { GroupCommitter } from './group-commit.js';

class Poison extends Error {}

/** A commit the test holds in flight until it calls open(): ordering by events, not by a delay. */
function gate() {
  let open!: () => void;
  const closed = new Promise<void>((resolve) => (open = resolve));
  return { closed, open };
}

function recordingCommitter(options: { maxGroupSize?: number; hold?: Promise<void> } = {}) {
  const groups: number[][] = [];
  const committer = new GroupCommitter<number, string>({
    maxGroupSize: options.maxGroupSize ?? 1000,
    canIsolate: (error) => error instanceof Poison,
    run: async (items) => {
      groups.push([...items]);
      if (options.hold) await options.hold;
      if (items.includes(-1)) throw new Poison('poisoned item');
      if (items.includes(-2)) throw new Error('database gone');
      return items.map((i) => `done ${i}`);
    },
  });
  return { committer, groups };
}

describe('GroupCommitter', () => {
  it('runs items submitted in the same tick as one group and resolves each with its own result', async () => {
    const { committer, groups } = recordingCommitter();
    const results = await Promise.all([1, 2, 3].map((i) => committer.submit(i)));
    expect(results).toEqual(['done 1', 'done 2', 'done 3']);
    expect(groups).toEqual([[1, 2, 3]]);
  });

  it('queues items submitted while a group is in flight and commits them together next', async () => {
    const held = gate();
    const { committer, groups } = recordingCommitter({ hold: held.closed });
    const first = committer.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(groups).toEqual([[1]]);
    const later = [2, 3, 4].map((i) => committer.submit(i));
    held.open();
    await Promise.all([first, ...later]);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });

  it('commits an item submitted by a caller as soon as its previous item resolved', async () => {
    const { committer, groups } = recordingCommitter();
    const second = await committer.submit(1).then(() => committer.submit(2));
    expect(second).toBe('done 2');
    expect(groups).toEqual([[1], [2]]);
  });

  it('splits a large burst into groups of at most maxGroupSize', async () => {
    const { committer, groups } = recordingCommitter({ maxGroupSize: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => committer.submit(i)));
    expect(groups.map((g) => g.length)).toEqual([4, 4, 2]);
  });

  it('retries a failed group one by one so that only the poisoned item fails', async () => {
    const { committer, groups } = recordingCommitter();
    const settled = await Promise.allSettled([1, -1, 2].map((i) => committer.submit(i)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(groups).toEqual([[1, -1, 2], [1], [-1], [2]]);
  });

  it('fails the whole group at once when the failure cannot come from one item', async () => {
    const { committer, groups } = recordingCommitter();
    const settled = await Promise.allSettled([1, -2, 2].map((i) => committer.submit(i)));
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    expect(groups).toEqual([[1, -2, 2]]);
  });

  it('drain waits until every submitted item has settled', async () => {
    const held = gate();
    const { committer } = recordingCommitter({ hold: held.closed });
    let settled = 0;
    for (let i = 0; i < 5; i++) void committer.submit(i).then(() => settled++);
    const drained = committer.drain();
    held.open();
    await drained;
    expect(settled).toBe(5);
  });
});

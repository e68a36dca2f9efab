import type { LabEvent, LockChange, LockSegment } from '../api/contract/index.js';
import { byTime } from './mastership.js';

/** Each time the lock's holder or epoch changed, from the lock events (the store's and the master's). */
export function lockChanges(events: readonly LabEvent[]): LockChange[] {
  const out: LockChange[] = [];
  for (const e of byTime(events)) {
    if (e.type !== 'lock') continue;
    const prev = out.at(-1);
    if (!prev || prev.holder !== e.lock.holder || prev.epoch !== e.lock.epoch) out.push({ ts: e.ts, holder: e.lock.holder, epoch: e.lock.epoch });
  }
  return out;
}

/** Who held the lock when: one segment per holder, whatever its epochs; the last ends at `endTs`. */
export function lockSegments(events: readonly LabEvent[], endTs: number): LockSegment[] {
  const out: LockSegment[] = [];
  for (const change of lockChanges(events)) {
    const last = out.at(-1);
    if (last && last.holder === change.holder) continue;
    if (last) last.to = change.ts;
    out.push({ holder: change.holder, from: change.ts, to: endTs });
  }
  return out;
}

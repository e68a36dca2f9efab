import type { Anomaly, AnomalyKind, MessageVerdict } from '../api/contract/index.js';
import type { History, HistoryEntry } from './history.js';

export type { Anomaly, AnomalyKind, MessageVerdict };

type Send = Extract<HistoryEntry, { type: 'send' }>;
type Deliver = Extract<HistoryEntry, { type: 'deliver' }>;

const MAX_ANOMALIES = 1000;

/** Lost, unexpected, duplicated, recovered and reordered messages: history in, verdict out. */
export function checkMessages(history: History): { verdict: MessageVerdict; anomalies: Anomaly[] } {
  const sends = new Map<string, Send>();
  const aborted = new Map<string, Send>();
  const deliveries: Deliver[] = [];
  for (const e of history.entries) {
    if (e.type === 'send') (e.outcome === 'aborted' ? aborted : sends).set(key(e.producer, e.seq), e);
    else if (e.type === 'deliver') deliveries.push(e);
  }
  deliveries.sort((a, b) => a.ts - b.ts);
  const anomalies: Anomaly[] = [];
  const add = (a: Anomaly) => {
    if (anomalies.length < MAX_ANOMALIES) anomalies.push(a);
  };
  const verdict: MessageVerdict = {
    sent: sends.size,
    aborted: aborted.size,
    receipted: 0,
    failed: 0,
    indeterminate: 0,
    delivered: deliveries.length,
    lost: 0,
    unexpected: 0,
    duplicated: 0,
    duplicatedFlagged: 0,
    duplicatedUnflagged: 0,
    recovered: 0,
    reordered: 0,
  };
  for (const s of sends.values()) {
    if (s.outcome === 'ok') verdict.receipted++;
    else if (s.outcome === 'fail') verdict.failed++;
    else verdict.indeterminate++;
  }

  const seenByGroup = new Map<string, Map<string, number>>();
  const highestByGroupProducer = new Map<string, number>();
  const recovered = new Set<string>();
  const duplicatedKeys = new Set<string>();
  const ordered = new Set(history.groups.filter((g) => g.ordered).map((g) => g.group));
  for (const d of deliveries) {
    const k = key(d.producer, d.seq);
    const send = sends.get(k);
    if (!send) {
      verdict.unexpected++;
      const tx = aborted.get(k)?.transaction;
      const detail = tx !== undefined ? `delivered at ${d.ts}, sent in transaction ${tx} that was aborted` : `delivered at ${d.ts}, never sent`;
      add({ kind: 'unexpected', group: d.group, producer: d.producer, seq: d.seq, destination: d.destination, detail });
      continue;
    }
    if (send.outcome !== 'ok' && !recovered.has(k)) {
      recovered.add(k);
      verdict.recovered++;
      add({ kind: 'recovered', group: d.group, producer: d.producer, seq: d.seq, destination: d.destination, detail: `send ended ${send.outcome}${send.error ? ` (${send.error})` : ''}, delivered after all` });
    }
    const seen = seenByGroup.get(d.group) ?? new Map<string, number>();
    seenByGroup.set(d.group, seen);
    const times = (seen.get(k) ?? 0) + 1;
    seen.set(k, times);
    if (times > 1) {
      if (!duplicatedKeys.has(`${d.group}|${k}`)) {
        duplicatedKeys.add(`${d.group}|${k}`);
        verdict.duplicated++;
      }
      if (d.redelivered) verdict.duplicatedFlagged++;
      else verdict.duplicatedUnflagged++;
      add({ kind: d.redelivered ? 'redelivered' : 'duplicated', group: d.group, producer: d.producer, seq: d.seq, destination: d.destination, detail: `delivery ${times} at ${d.ts}${d.redelivered ? ' (redelivered:true)' : ' (not flagged)'}` });
      continue;
    }
    if (ordered.has(d.group) && !d.redelivered) {
      const gp = `${d.group}|${d.producer}`;
      const highest = highestByGroupProducer.get(gp) ?? 0;
      if (d.seq < highest) {
        verdict.reordered++;
        add({ kind: 'reordered', group: d.group, producer: d.producer, seq: d.seq, destination: d.destination, detail: `after seq ${highest} of the same producer` });
      }
      highestByGroupProducer.set(gp, Math.max(highest, d.seq));
    }
  }

  for (const s of sends.values()) {
    if (s.outcome !== 'ok') continue;
    for (const g of history.groups) {
      if (g.destination !== s.destination || s.invokeTs < g.expectsFromTs) continue;
      if (!seenByGroup.get(g.group)?.has(key(s.producer, s.seq))) {
        verdict.lost++;
        add({ kind: 'lost', group: g.group, producer: s.producer, seq: s.seq, destination: s.destination, detail: `receipted at ${s.completeTs}, never delivered` });
      }
    }
  }
  return { verdict, anomalies };
}

function key(producer: string, seq: number): string {
  return `${producer}#${seq}`;
}

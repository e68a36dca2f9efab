import { readFileSync } from 'node:fs';
import type { ClusterStatus, MemoryGrowth, MemorySample } from '../api/contract/index.js';

export type { MemoryGrowth, MemorySample };

/** VmRSS of a process in MB from /proc (Linux); null where there is no /proc or the process is gone. */
export function processRssMb(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

export function memorySample(fault: number, status: ClusterStatus, labRssBytes = process.memoryUsage.rss()): MemorySample {
  const brokers = status.brokers.flatMap((b) => {
    const rssMb = b.pid === null ? null : processRssMb(b.pid);
    return rssMb === null || b.pid === null ? [] : [{ name: b.name, pid: b.pid, rssMb }];
  });
  return { fault, ts: Date.now(), labRssMb: labRssBytes / 1024 / 1024, brokers };
}

/**
 * Growth between the sample at fault 50 (or a quarter of the faults in a shorter soak, after the
 * lab and the brokers warmed up) and the last sample; null with fewer than two samples.
 */
export function memoryGrowth(samples: readonly MemorySample[]): MemoryGrowth | null {
  if (samples.length < 2) return null;
  const last = samples.at(-1)!;
  const fromFault = Math.min(50, Math.floor(last.fault / 4));
  const from = samples.find((s) => s.fault >= fromFault) ?? samples[0]!;
  const largest = (s: MemorySample) => Math.max(0, ...s.brokers.map((b) => b.rssMb));
  const growth = (a: number, b: number) => ({ from: round(a), to: round(b), growthPct: a > 0 ? round(((b - a) / a) * 100) : 0 });
  return { fromFault: from.fault, toFault: last.fault, labRssMb: growth(from.labRssMb, last.labRssMb), brokerRssMb: growth(largest(from), largest(last)) };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

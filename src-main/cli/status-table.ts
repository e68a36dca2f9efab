import type { ClusterStatus } from '../api/contract/index.js';

/** The live table `failover-lab up` and `failover-lab status` print: one row per broker, then the lock. */
export function formatStatusTable(status: ClusterStatus, now = Date.now()): string {
  const rows = [['BROKER', 'ROLE', 'PID', 'PORTS', 'LINK']];
  for (const b of status.brokers) {
    const link = b.link ? (b.link.state === 'cut' ? `cut (${b.link.mode})` : b.link.state === 'slow' ? `+${b.link.latencyMs} ms` : 'up') : '-';
    rows.push([b.name, b.role, b.pid === null ? '-' : String(b.pid), b.connectors.map((c) => c.port).join(',') || '-', link]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  lines.push('', `lock: ${formatLock(status, now)}`, `store: ${status.store.kind} ${status.store.location}`);
  return lines.join('\n');
}

function formatLock(status: ClusterStatus, now: number): string {
  const lock = status.lock;
  if (!lock || lock.holder === null) return 'nobody holds it';
  const lease = lock.leaseExpiresAt === null ? 'held for the master\'s life (database-locker)' : lock.leaseExpiresAt > now ? `lease expires in ${((lock.leaseExpiresAt - now) / 1000).toFixed(1)} s` : `lease expired ${((now - lock.leaseExpiresAt) / 1000).toFixed(1)} s ago`;
  return `${lock.holder} (epoch ${lock.epoch}), ${lease}`;
}

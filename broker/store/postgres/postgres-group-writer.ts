import type pg from 'pg';
import type { WriteOp } from '../database-persistence-adapter.js';
import type { AddResult, BatchResult, DurableAck, NewMessage } from '../persistence-adapter.js';
import {
  MAX_ROWS_PER_STATEMENT,
  SQL,
  deleteMessagesSql,
  insertMessagesSql,
  selectProducerAuditSql,
  upsertProducerAuditSql,
} from './statements.js';

/**
 * Applies one group of writes inside an open transaction in a handful of round trips: the producer
 * audit is read once and decided here, new messages go in as multi-row INSERT ... RETURNING ID,
 * removals as multi-row DELETE ... IN. Subscription changes and durable acks keep their order.
 */
export async function writeGroup(client: pg.ClientBase, ops: readonly WriteOp[]): Promise<BatchResult[]> {
  const results: BatchResult[] = ops.map(() => ({ added: [] }));
  const toStore: Array<{ message: NewMessage; result: AddResult[]; index: number }> = [];
  const lastSeq = await readProducerAudit(client, ops);
  const advanced = new Map<string, number>();
  ops.forEach((op, i) => {
    if (op.kind !== 'batch') return;
    const added = (results[i] as BatchResult).added;
    for (const m of op.batch.add ?? []) {
      if (m.producerId !== null && m.producerSeq !== null) {
        const last = lastSeq.get(m.producerId);
        if (last !== undefined && m.producerSeq <= last) {
          added.push({ kind: 'duplicate' });
          continue;
        }
        lastSeq.set(m.producerId, m.producerSeq);
        advanced.set(m.producerId, m.producerSeq);
      }
      toStore.push({ message: m, result: added, index: added.length });
      added.push({ kind: 'stored', id: 0 });
    }
  });
  const ids = await insertMessages(client, toStore.map((s) => s.message));
  toStore.forEach((s, i) => (s.result[s.index] = { kind: 'stored', id: ids[i] as number }));
  await upsertProducerAudit(client, [...advanced]);
  const removed = ops.flatMap((op) => (op.kind === 'batch' ? (op.batch.remove ?? []) : []));
  for (const [start, rows] of chunks(removed.length)) {
    const values = removed.slice(start, start + rows);
    await client.query({ name: `deleteMessages${rows}`, text: deleteMessagesSql(rows), values });
  }
  await applySubscriptionChanges(client, ops);
  return results;
}

async function readProducerAudit(client: pg.ClientBase, ops: readonly WriteOp[]): Promise<Map<string, number>> {
  const producers = new Set<string>();
  for (const op of ops) {
    if (op.kind !== 'batch') continue;
    for (const m of op.batch.add ?? []) if (m.producerId !== null && m.producerSeq !== null) producers.add(m.producerId);
  }
  const ids = [...producers];
  const lastSeq = new Map<string, number>();
  for (const [start, rows] of chunks(ids.length)) {
    const result = await client.query<{ producer_id: string; last_seq: number }>({
      name: `selectProducerAudit${rows}`,
      text: selectProducerAuditSql(rows),
      values: ids.slice(start, start + rows),
    });
    for (const r of result.rows) lastSeq.set(r.producer_id, r.last_seq);
  }
  return lastSeq;
}

async function insertMessages(client: pg.ClientBase, messages: readonly NewMessage[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [start, rows] of chunks(messages.length)) {
    const values: unknown[] = [];
    for (const m of messages.slice(start, start + rows)) {
      values.push(m.container, m.producerId, m.producerSeq, m.expiration, toBuffer(m.msg), m.priority);
    }
    const result = await client.query<{ id: number }>({ name: `insertMessages${rows}`, text: insertMessagesSql(rows), values });
    for (const row of result.rows) ids.push(row.id);
  }
  return ids;
}

async function upsertProducerAudit(client: pg.ClientBase, entries: ReadonlyArray<[string, number]>): Promise<void> {
  for (const [start, rows] of chunks(entries.length)) {
    const values = entries.slice(start, start + rows).flat();
    await client.query({ name: `upsertProducerAudit${rows}`, text: upsertProducerAuditSql(rows), values });
  }
}

/** Acks between two subscription changes are merged (highest id per subscription wins). */
async function applySubscriptionChanges(client: pg.ClientBase, ops: readonly WriteOp[]): Promise<void> {
  let acks = new Map<string, DurableAck>();
  const flushAcks = async () => {
    for (const a of acks.values()) {
      await client.query({ name: 'advanceLastAck', text: SQL.advanceLastAck, values: [a.lastAckedId, a.container, a.clientId, a.subName] });
    }
    acks = new Map();
  };
  for (const op of ops) {
    if (op.kind === 'batch') {
      for (const a of op.batch.durableAcks ?? []) {
        const key = JSON.stringify([a.container, a.clientId, a.subName]);
        if ((acks.get(key)?.lastAckedId ?? -Infinity) < a.lastAckedId) acks.set(key, a);
      }
      continue;
    }
    await flushAcks();
    if (op.kind === 'subscribe') {
      const s = op.sub;
      const values = [s.container, s.subDest, s.clientId, s.subName, s.selector, s.lastAckedId];
      await client.query({ name: 'upsertSubscription', text: SQL.upsertSubscription, values });
    } else {
      await client.query({ name: 'deleteSubscription', text: SQL.deleteSubscription, values: [op.container, op.clientId, op.subName] });
    }
  }
  await flushAcks();
}

/** Splits n rows into power-of-two statements: [start, rows] pairs. */
function chunks(n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  while (start < n) {
    let rows = MAX_ROWS_PER_STATEMENT;
    while (rows > n - start) rows >>= 1;
    out.push([start, rows]);
    start += rows;
  }
  return out;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

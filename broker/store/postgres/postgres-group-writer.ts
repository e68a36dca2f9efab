import type pg from 'pg';
import { loadPg } from '../../util/cjs.js';
import type { Fence } from '../../lock/locker.js';
import { FencedError } from '../../util/errors.js';
import type { WriteOp } from '../database-persistence-adapter.js';
import type { AddResult, BatchResult, DurableAck } from '../persistence-adapter.js';
import type { ProducerAuditCache } from './producer-audit-cache.js';
import { byteaLiteral, integerLiteral, textLiteral } from './sql-literals.js';
import {
  FENCE_VIOLATION,
  MAX_ROWS_PER_STATEMENT,
  advanceLastAckSql,
  deleteMessagesSql,
  deleteSubscriptionSql,
  fenceSql,
  insertMessagesSql,
  selectProducerAuditSql,
  upsertProducerAuditSql,
  upsertSubscriptionSql,
} from './statements.js';

/**
 * Writes one group in ONE round trip where it can: the fence, the INSERT ... RETURNING ID, the
 * producer audit upsert, the deletes and the subscription changes go as one multi-statement simple
 * query, which PostgreSQL runs as one implicit transaction (all or nothing). A commit is fsync-bound,
 * so every round trip a sequential SEND waits for counts. Duplicates are decided here from the
 * producer audit cache; only producers it does not know yet cost a read first.
 */
export async function writeGroup(
  client: pg.ClientBase,
  ops: readonly WriteOp[],
  fence: Fence | null,
  audit: ProducerAuditCache,
): Promise<BatchResult[]> {
  fence?.assertHeld();
  const generation = audit.current();
  const lastSeq = await producerAudit(client, ops, audit, generation);
  const plan = planGroup(ops, lastSeq);
  if (plan.statements.length === 0 && !fence) return plan.results;
  const statements = fence ? [fenceSql(integerLiteral(fence.epoch)), ...plan.statements] : plan.statements;
  const offset = fence ? 1 : 0;
  // The audit read took a round trip: the lease may have run out meanwhile.
  fence?.assertHeld();
  let answer: unknown;
  try {
    answer = await client.query(statements.join(';\n'));
  } catch (error) {
    audit.forget(plan.advanced.keys());
    if (fence && isFenceViolation(error)) throw await fencedError(client, fence, error);
    throw error;
  }
  audit.remember(generation, plan.advanced);
  // Row 1 is never deleted by a broker: without it no locker can hand out an epoch, so no other
  // master exists; still, nothing checked our epoch, so this master stops (the writes did commit).
  if (fence && resultAt(answer, 0, statements.length).rows.length === 0) {
    throw new FencedError('ACTIVEMQ_LOCK has no row 1: the lock table was tampered with');
  }
  if (plan.insertIndex !== null) fillIds(plan, resultAt(answer, offset + plan.insertIndex, statements.length));
  return plan.results;
}

interface GroupPlan {
  results: BatchResult[];
  statements: string[];
  /** Index in `statements` of the INSERT, null when nothing is stored. */
  insertIndex: number | null;
  /** Stored results waiting for their ID, in INSERT row order. */
  stored: Array<{ kind: 'stored'; id: number }>;
  /** The highest sequence each producer reaches in this group. */
  advanced: Map<string, number>;
}

function planGroup(ops: readonly WriteOp[], lastSeq: ReadonlyMap<string, number | null>): GroupPlan {
  const plan: GroupPlan = { results: [], statements: [], insertIndex: null, stored: [], advanced: new Map() };
  const rows: string[] = [];
  const removed: string[] = [];
  for (const op of ops) {
    const added: AddResult[] = [];
    plan.results.push({ added });
    if (op.kind !== 'batch') continue;
    for (const m of op.batch.add ?? []) {
      if (m.producerId !== null && m.producerSeq !== null) {
        const last = plan.advanced.get(m.producerId) ?? lastSeq.get(m.producerId) ?? null;
        if (last !== null && m.producerSeq <= last) {
          added.push({ kind: 'duplicate' });
          continue;
        }
        plan.advanced.set(m.producerId, m.producerSeq);
      }
      rows.push(
        `(${textLiteral(m.container)}, ${textLiteral(m.producerId)}, ${integerLiteral(m.producerSeq)}, ` +
          `${integerLiteral(m.expiration)}, ${byteaLiteral(m.msg)}, ${integerLiteral(m.priority)})`,
      );
      const result = { kind: 'stored' as const, id: 0 };
      plan.stored.push(result);
      added.push(result);
    }
    for (const id of op.batch.remove ?? []) removed.push(integerLiteral(id));
  }
  if (rows.length > 0) {
    plan.insertIndex = plan.statements.length;
    plan.statements.push(insertMessagesSql(rows));
  }
  if (plan.advanced.size > 0) {
    const auditRows = [...plan.advanced].map(([id, seq]) => `(${textLiteral(id)}, ${integerLiteral(seq)})`);
    plan.statements.push(upsertProducerAuditSql(auditRows));
  }
  if (removed.length > 0) plan.statements.push(deleteMessagesSql(removed));
  plan.statements.push(...subscriptionStatements(ops));
  return plan;
}

/** Acks between two subscription changes are merged (highest id per subscription wins). */
function subscriptionStatements(ops: readonly WriteOp[]): string[] {
  const out: string[] = [];
  let acks = new Map<string, DurableAck>();
  const flushAcks = () => {
    for (const a of acks.values()) {
      out.push(advanceLastAckSql(integerLiteral(a.lastAckedId), textLiteral(a.container), textLiteral(a.clientId), textLiteral(a.subName)));
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
    flushAcks();
    if (op.kind === 'subscribe') {
      const s = op.sub;
      out.push(
        upsertSubscriptionSql(
          textLiteral(s.container),
          textLiteral(s.subDest),
          textLiteral(s.clientId),
          textLiteral(s.subName),
          textLiteral(s.selector),
          integerLiteral(s.lastAckedId),
        ),
      );
    } else {
      out.push(deleteSubscriptionSql(textLiteral(op.container), textLiteral(op.clientId), textLiteral(op.subName)));
    }
  }
  flushAcks();
  return out;
}

/**
 * The last stored sequence of every producer in the group (null: none), taken from the cache at once
 * (a fence change while the read below is in flight may clear it) and read, outside the write
 * transaction, for the producers the cache does not know yet.
 */
async function producerAudit(
  client: pg.ClientBase,
  ops: readonly WriteOp[],
  audit: ProducerAuditCache,
  generation: number,
): Promise<Map<string, number | null>> {
  const lastSeq = new Map<string, number | null>();
  const unknown: string[] = [];
  for (const op of ops) {
    if (op.kind !== 'batch') continue;
    for (const m of op.batch.add ?? []) {
      if (m.producerId === null || m.producerSeq === null || lastSeq.has(m.producerId)) continue;
      const known = audit.get(m.producerId);
      lastSeq.set(m.producerId, known ?? null);
      if (known === undefined) unknown.push(m.producerId);
    }
  }
  let start = 0;
  while (start < unknown.length) {
    let rows = MAX_ROWS_PER_STATEMENT;
    while (rows > unknown.length - start) rows >>= 1;
    const ids = unknown.slice(start, start + rows);
    const result = await client.query<{ producer_id: string; last_seq: number }>({
      name: `selectProducerAudit${rows}`,
      text: selectProducerAuditSql(rows),
      values: ids,
    });
    const read = new Map<string, number | null>(ids.map((id) => [id, null]));
    for (const r of result.rows) read.set(r.producer_id, r.last_seq);
    for (const [id, seq] of read) lastSeq.set(id, seq);
    audit.remember(generation, read);
    start += rows;
  }
  return lastSeq;
}

/** pg answers a multi-statement query with one result per statement (a single one for one statement). */
function resultAt(answer: unknown, index: number, statements: number): pg.QueryResult {
  const results = (Array.isArray(answer) ? answer : [answer]) as pg.QueryResult[];
  const result = results[index];
  if (results.length !== statements || result === undefined) {
    throw new Error(`the server answered ${results.length} results to ${statements} statements`);
  }
  return result;
}

function fillIds(plan: GroupPlan, insert: pg.QueryResult): void {
  if (insert.rows.length !== plan.stored.length) {
    throw new Error(`INSERT returned ${insert.rows.length} ids for ${plan.stored.length} messages`);
  }
  plan.stored.forEach((result, i) => {
    result.id = (insert.rows[i] as { id: number }).id;
  });
}

function isFenceViolation(error: unknown): boolean {
  return error instanceof loadPg().DatabaseError && error.message.includes(FENCE_VIOLATION);
}

/** Names the epoch the table holds now, for the log; the transaction has already been rolled back. */
async function fencedError(client: pg.ClientBase, fence: Fence, cause: unknown): Promise<FencedError> {
  const epoch = await client
    .query<{ epoch: number }>('SELECT EPOCH FROM ACTIVEMQ_LOCK WHERE ID = 1')
    .then((r) => (r.rows[0] === undefined ? 'missing' : String(r.rows[0].epoch)))
    .catch(() => 'unreadable');
  return new FencedError(`ACTIVEMQ_LOCK epoch is ${epoch}, ours is ${fence.epoch}: another broker is master`, { cause });
}

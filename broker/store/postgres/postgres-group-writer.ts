import type pg from 'pg';
import { loadPg } from '../../util/cjs.js';
import type { Fence } from '../../lock/locker.js';
import { FencedError } from '../../util/errors.js';
import type { WriteOp } from '../database-persistence-adapter.js';
import type { AddResult, BatchResult, DurableAck } from '../persistence-adapter.js';
import type { ProducerAuditCache } from './producer-audit-cache.js';
import { runPipeline, type PipelineStep, type StepResult, type WireValue } from './pipeline.js';
import {
  ADVANCE_LAST_ACK_SQL,
  DELETE_SUBSCRIPTION_SQL,
  FENCE_SQL,
  FENCE_VIOLATION,
  UPSERT_SUBSCRIPTION_SQL,
  deleteMessagesSql,
  insertMessagesSql,
  rowsPerStatement,
  selectProducerAuditSql,
  upsertProducerAuditSql,
  type PreparedSql,
} from './statements.js';

/**
 * Writes one group as ONE transaction in ONE round trip: the fence, the INSERT ... RETURNING ID, the
 * producer audit upsert, the deletes and the subscription changes go as steps of one pipeline of
 * prepared statements (pipeline.ts). A sequential SEND waits for every round trip and every parse
 * the server does, so there is one of the first and none of the second. Duplicates are decided
 * here from the producer audit cache; only producers it does not know yet cost a read first.
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
  if (plan.steps.length === 0 && !fence) return plan.results;
  const steps = fence ? [step(FENCE_SQL, [integerParam(fence.epoch)]), ...plan.steps] : plan.steps;
  const offset = fence ? 1 : 0;
  // The audit read took a round trip: the lease may have run out meanwhile.
  fence?.assertHeld();
  let answer: StepResult[];
  try {
    answer = await runPipeline(client, steps);
  } catch (error) {
    audit.forget(plan.advanced.keys());
    if (fence && isFenceViolation(error)) throw await fencedError(client, fence, error);
    throw error;
  }
  audit.remember(generation, plan.advanced);
  // Row 1 is never deleted by a broker: without it no locker can hand out an epoch, so no other
  // master exists; still, nothing checked our epoch, so this master stops (the writes did commit).
  if (fence && answer[0]?.rows.length === 0) {
    throw new FencedError('ACTIVEMQ_LOCK has no row 1: the lock table was tampered with');
  }
  fillIds(plan, answer.slice(offset + plan.insertFrom, offset + plan.insertFrom + plan.insertSteps));
  return plan.results;
}

interface GroupPlan {
  results: BatchResult[];
  steps: PipelineStep[];
  /** Index in `steps` of the first INSERT, and how many INSERT steps follow it. */
  insertFrom: number;
  insertSteps: number;
  /** Stored results waiting for their ID, in INSERT row order. */
  stored: Array<{ kind: 'stored'; id: number }>;
  /** The highest sequence each producer reaches in this group. */
  advanced: Map<string, number>;
}

function step(sql: PreparedSql, values: readonly WireValue[]): PipelineStep {
  return { name: sql.name, text: sql.text, values };
}

/**
 * `rows` rows of `width` values as steps of power-of-two row counts, largest first (1,000 rows:
 * 512 + 256 + 128 + 64 + 32 + 8), so a connection prepares at most ten texts per statement.
 */
function chunkedSteps(sqlFor: (rows: number) => PreparedSql, values: readonly WireValue[], width: number): PipelineStep[] {
  const steps: PipelineStep[] = [];
  let at = 0;
  let left = values.length / width;
  while (left > 0) {
    const rows = rowsPerStatement(left);
    steps.push(step(sqlFor(rows), values.slice(at, at + rows * width)));
    at += rows * width;
    left -= rows;
  }
  return steps;
}

function planGroup(ops: readonly WriteOp[], lastSeq: ReadonlyMap<string, number | null>): GroupPlan {
  const plan: GroupPlan = { results: [], steps: [], insertFrom: 0, insertSteps: 0, stored: [], advanced: new Map() };
  const rows: WireValue[] = [];
  const removed: WireValue[] = [];
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
      }
      // Checked before anything of this batch is planned: a bad value fails its own batch only.
      rows.push(textParam(m.container), textParam(m.producerId), integerParam(m.producerSeq), integerParam(m.expiration), bytesParam(m.msg), integerParam(m.priority));
      if (m.producerId !== null && m.producerSeq !== null) plan.advanced.set(m.producerId, m.producerSeq);
      const result = { kind: 'stored' as const, id: 0 };
      plan.stored.push(result);
      added.push(result);
    }
    for (const id of op.batch.remove ?? []) removed.push(integerParam(id));
  }
  plan.insertFrom = plan.steps.length;
  plan.steps.push(...chunkedSteps(insertMessagesSql, rows, 6));
  plan.insertSteps = plan.steps.length - plan.insertFrom;
  const auditRows = [...plan.advanced].flatMap(([id, seq]) => [textParam(id), integerParam(seq)]);
  plan.steps.push(...chunkedSteps(upsertProducerAuditSql, auditRows, 2));
  plan.steps.push(...chunkedSteps(deleteMessagesSql, removed, 1));
  plan.steps.push(...subscriptionSteps(ops));
  return plan;
}

/** Acks between two subscription changes are merged (highest id per subscription wins). */
function subscriptionSteps(ops: readonly WriteOp[]): PipelineStep[] {
  const out: PipelineStep[] = [];
  let acks = new Map<string, DurableAck>();
  const flushAcks = () => {
    for (const a of acks.values()) {
      out.push(step(ADVANCE_LAST_ACK_SQL, [integerParam(a.lastAckedId), textParam(a.container), textParam(a.clientId), textParam(a.subName)]));
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
        step(UPSERT_SUBSCRIPTION_SQL, [
          textParam(s.container),
          textParam(s.subDest),
          textParam(s.clientId),
          textParam(s.subName),
          textParam(s.selector),
          integerParam(s.lastAckedId),
        ]),
      );
    } else {
      out.push(step(DELETE_SUBSCRIPTION_SQL, [textParam(op.container), textParam(op.clientId), textParam(op.subName)]));
    }
  }
  flushAcks();
  return out;
}

/**
 * Parameters, checked here: a bad value throws a TypeError or RangeError before anything is sent,
 * which the group committer isolates to the batch that carried it. Values travel as parameters,
 * never inside SQL text.
 */
function textParam(value: string | null): WireValue {
  if (value === null) return null;
  if (typeof value !== 'string') throw new TypeError(`expected a string or null, got ${typeof value}`);
  // PostgreSQL text cannot hold a NUL character.
  if (value.includes('\0')) throw new RangeError('PostgreSQL text cannot contain a NUL character');
  return value;
}

function integerParam(value: number | null): WireValue {
  if (value === null) return null;
  if (!Number.isSafeInteger(value)) throw new RangeError(`expected an integer, got ${String(value)}`);
  return String(value);
}

/** Sent in binary format: the bytes as they are, no hex. */
function bytesParam(bytes: Uint8Array): WireValue {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('expected the message body as bytes');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
    const rows = rowsPerStatement(unknown.length - start);
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

function fillIds(plan: GroupPlan, inserts: readonly StepResult[]): void {
  const ids = inserts.flatMap((r) => r.rows);
  if (ids.length !== plan.stored.length) {
    throw new Error(`INSERT returned ${ids.length} ids for ${plan.stored.length} messages`);
  }
  plan.stored.forEach((result, i) => {
    result.id = Number(ids[i]?.[0]);
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

import type { Fence } from '../../lock/locker.js';
import { StoreError } from '../../util/errors.js';
import type {
  AddResult,
  BatchResult,
  Container,
  DurableSubscription,
  NewMessage,
  PersistenceAdapter,
  StoreBatch,
  StoredMessage,
} from '../persistence-adapter.js';

/** How many producers the audit remembers (ActiveMQ's audit is bounded too); the oldest go first. */
const AUDIT_SIZE = 100_000;

/**
 * The store of `<broker persistent="false">`: ActiveMQ keeps messages in memory then, so do we.
 * Nothing survives the process; the semantics (ids, producer audit, atomic batches) match the
 * database stores. There is no `ACTIVEMQ_LOCK` to read, so the fence check is `fence.assertHeld()`.
 * Usable from construction (start() only reopens after a stop()).
 */
export class MemoryPersistenceAdapter implements PersistenceAdapter {
  private readonly messages = new Map<Container, Map<number, StoredMessage>>();
  private readonly byId = new Map<number, Container>();
  /** Highest stored sequence per producer id, least recently advanced first. */
  private readonly audit = new Map<string, number>();
  private readonly subs = new Map<string, DurableSubscription>();
  private nextId = 1;
  private fence: Fence | null = null;
  private failing = false;
  private open = true;

  async start(): Promise<void> {
    this.open = true;
  }

  async stop(): Promise<void> {
    this.open = false;
  }

  setFence(fence: Fence | null): void {
    this.fence = fence;
  }

  simulateFailure(failing: boolean): void {
    this.failing = failing;
  }

  async commit(batch: StoreBatch): Promise<BatchResult> {
    this.checkWrite('commit');
    // Everything is checked before anything changes: a bad message fails its whole batch.
    batch.add?.forEach(validateMessage);
    for (const id of batch.remove ?? []) requireInteger(id, 'removed message id');
    for (const ack of batch.durableAcks ?? []) requireInteger(ack.lastAckedId, 'lastAckedId');
    const added = (batch.add ?? []).map((message) => this.add(message));
    for (const id of batch.remove ?? []) {
      const container = this.byId.get(id);
      if (container === undefined) continue;
      this.byId.delete(id);
      this.messages.get(container)?.delete(id);
    }
    for (const ack of batch.durableAcks ?? []) {
      const sub = this.subs.get(subKey(ack.container, ack.clientId, ack.subName));
      if (sub !== undefined) sub.lastAckedId = Math.max(sub.lastAckedId, ack.lastAckedId);
    }
    return { added };
  }

  async containers(): Promise<Container[]> {
    this.checkRead('containers');
    const names = new Set<Container>();
    for (const [container, map] of this.messages) if (map.size > 0) names.add(container);
    for (const sub of this.subs.values()) names.add(sub.container);
    return [...names].sort();
  }

  async recover(container: Container, afterId: number, limit: number): Promise<StoredMessage[]> {
    this.checkRead('recover');
    const out: StoredMessage[] = [];
    const map = this.messages.get(container);
    if (map === undefined) return out;
    // Ids are assigned in increasing order and Maps keep insertion order.
    for (const [id, message] of map) {
      if (id <= afterId) continue;
      out.push(message);
      if (out.length >= limit) break;
    }
    return out;
  }

  async addSubscription(sub: DurableSubscription): Promise<void> {
    this.checkWrite('addSubscription');
    this.subs.set(subKey(sub.container, sub.clientId, sub.subName), { ...sub });
  }

  async removeSubscription(container: Container, clientId: string, subName: string): Promise<void> {
    this.checkWrite('removeSubscription');
    this.subs.delete(subKey(container, clientId, subName));
  }

  async subscriptions(): Promise<DurableSubscription[]> {
    this.checkRead('subscriptions');
    return [...this.subs.values()].map((s) => ({ ...s }));
  }

  async counts(): Promise<Map<Container, number>> {
    this.checkRead('counts');
    const counts = new Map<Container, number>();
    for (const [container, map] of this.messages) if (map.size > 0) counts.set(container, map.size);
    return counts;
  }

  private add(message: NewMessage): AddResult {
    const { producerId, producerSeq } = message;
    if (producerId !== null && producerSeq !== null) {
      const last = this.audit.get(producerId);
      if (last !== undefined && producerSeq <= last) return { kind: 'duplicate' };
      this.advanceAudit(producerId, producerSeq);
    }
    const id = this.nextId++;
    this.containerMap(message.container).set(id, { ...message, id });
    this.byId.set(id, message.container);
    return { kind: 'stored', id };
  }

  private checkRead(operation: string): void {
    if (this.failing) throw new StoreError(`${operation} failed: simulated store failure`);
    if (!this.open) throw new StoreError(`${operation} failed: persistence adapter is stopped`);
  }

  /** Writes are fenced like a database store's transactions, as far as a store without a lock table can. */
  private checkWrite(operation: string): void {
    this.checkRead(operation);
    this.fence?.assertHeld();
  }

  private containerMap(container: Container): Map<number, StoredMessage> {
    let map = this.messages.get(container);
    if (map === undefined) {
      map = new Map();
      this.messages.set(container, map);
    }
    return map;
  }

  private advanceAudit(producerId: string, seq: number): void {
    this.audit.delete(producerId);
    this.audit.set(producerId, seq);
    if (this.audit.size > AUDIT_SIZE) this.audit.delete(this.audit.keys().next().value as string);
  }
}

function validateMessage(message: NewMessage): void {
  if (typeof message.container !== 'string' || message.container === '') {
    throw new StoreError('commit failed: a message has no container');
  }
  if (message.producerId !== null && typeof message.producerId !== 'string') {
    throw new StoreError('commit failed: producerId must be a string or null');
  }
  if (message.producerSeq !== null) requireInteger(message.producerSeq, 'producerSeq');
  requireInteger(message.expiration, 'expiration');
  requireInteger(message.priority, 'priority');
  if (!(message.msg instanceof Uint8Array)) throw new StoreError('commit failed: a message body must be bytes');
}

function requireInteger(value: number, field: string): void {
  if (!Number.isSafeInteger(value)) throw new StoreError(`commit failed: ${field} must be an integer, got ${String(value)}`);
}

function subKey(container: Container, clientId: string, subName: string): string {
  return `${container}\u0000${clientId}\u0000${subName}`;
}

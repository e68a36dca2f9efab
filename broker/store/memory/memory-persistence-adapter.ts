import type { Fence } from '../../lock/locker.js';
import { StoreError } from '../../util/errors.js';
import type {
  AddResult,
  BatchResult,
  Container,
  DurableSubscription,
  PersistenceAdapter,
  StoreBatch,
  StoredMessage,
} from '../persistence-adapter.js';

/** How many producer id + sequence pairs the audit remembers (ActiveMQ's audit is bounded too). */
const AUDIT_SIZE = 100_000;

/**
 * The store of `<broker persistent="false">`: ActiveMQ keeps messages in memory then, so do we.
 * Nothing survives the process; the semantics (ids, producer audit, fencing) match the database stores.
 */
export class MemoryPersistenceAdapter implements PersistenceAdapter {
  private readonly messages = new Map<Container, Map<number, StoredMessage>>();
  private readonly byId = new Map<number, Container>();
  private readonly audit = new Set<string>();
  private readonly subs = new Map<string, DurableSubscription>();
  private nextId = 1;
  private fence: Fence | null = null;
  private failing = false;

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  setFence(fence: Fence | null): void {
    this.fence = fence;
  }

  simulateFailure(failing: boolean): void {
    this.failing = failing;
  }

  async commit(batch: StoreBatch): Promise<BatchResult> {
    this.check();
    const added: AddResult[] = [];
    for (const message of batch.add ?? []) {
      if (message.producerId !== null && message.producerSeq !== null) {
        const key = `${message.producerId}\u0000${message.producerSeq}`;
        if (this.audit.has(key)) {
          added.push({ kind: 'duplicate' });
          continue;
        }
        this.remember(key);
      }
      const id = this.nextId++;
      this.containerMap(message.container).set(id, { ...message, id });
      this.byId.set(id, message.container);
      added.push({ kind: 'stored', id });
    }
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
    this.check();
    const names = new Set<Container>();
    for (const [container, map] of this.messages) if (map.size > 0) names.add(container);
    for (const sub of this.subs.values()) names.add(sub.container);
    return [...names];
  }

  async recover(container: Container, afterId: number, limit: number): Promise<StoredMessage[]> {
    this.check();
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
    this.check();
    this.subs.set(subKey(sub.container, sub.clientId, sub.subName), { ...sub });
  }

  async removeSubscription(container: Container, clientId: string, subName: string): Promise<void> {
    this.check();
    this.subs.delete(subKey(container, clientId, subName));
  }

  async subscriptions(): Promise<DurableSubscription[]> {
    this.check();
    return [...this.subs.values()].map((s) => ({ ...s }));
  }

  async counts(): Promise<Map<Container, number>> {
    this.check();
    const counts = new Map<Container, number>();
    for (const [container, map] of this.messages) if (map.size > 0) counts.set(container, map.size);
    return counts;
  }

  private check(): void {
    if (this.failing) throw new StoreError('simulated store failure');
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

  private remember(key: string): void {
    this.audit.add(key);
    if (this.audit.size > AUDIT_SIZE) {
      const oldest = this.audit.values().next().value as string;
      this.audit.delete(oldest);
    }
  }
}

function subKey(container: Container, clientId: string, subName: string): string {
  return `${container}\u0000${clientId}\u0000${subName}`;
}

import type { LabEvent, LabEventInput } from '../api/contract/index.js';
import { currentDualMaster } from './mastership.js';
import { currentClusterEvents } from './timeline-model.js';

interface EventSource {
  since(afterSeq?: number): LabEvent[];
  subscribe(listener: (event: LabEvent) => void): () => void;
  emit(event: LabEventInput): LabEvent;
}

/**
 * Publishes a `dual-master` event whenever the set of brokers claiming master together changes
 * (empty when it ends), so every view shows the moment the Checker would count. Emitted after the
 * event that caused it has reached every listener, keeping the log's order.
 */
export function watchDualMaster(log: EventSource): () => void {
  let shown: string[] = [];
  return log.subscribe((event) => {
    if (event.type !== 'broker-state' && event.type !== 'cluster') return;
    queueMicrotask(() => {
      const now = currentDualMaster(currentClusterEvents(log.since(0)));
      if (now.join() === shown.join()) return;
      shown = now;
      log.emit({ type: 'dual-master', brokers: now });
    });
  });
}

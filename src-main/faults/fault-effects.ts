import type { FaultKind, LabEvent } from '../api/contract/index.js';
import type { EventLog } from '../cluster/event-log.js';

const EXIT_MEANINGS: Record<number, string> = { 0: 'clean stop', 1: 'failure', 2: 'config error', 3: 'lock lost', 4: 'locked' };
const EFFECT_WINDOW_MS = 60_000;

/**
 * Follows a fault with the effects it causes, as `fault` events in phase `effect`: the target's
 * process exiting, and the next broker to become master (with the time since the fault), so a
 * timeline shows cause and consequence without anyone reading logs.
 */
export function watchEffects(events: EventLog, fault: FaultKind, target: string | null, previousMaster: string | null, injectedAt: number): void {
  let exitSeen = target === null;
  let masterSeen = false;
  // The old master counts again only once it has left the master role (e.g. after a database restart).
  let previousLeft = false;
  const label = target ? `${fault} of ${target}` : fault;
  const done = () => {
    unsubscribe();
    clearTimeout(timer);
  };
  const unsubscribe = events.subscribe((event: LabEvent) => {
    if (event.type !== 'broker-state') return;
    if (!exitSeen && event.broker === target && event.role === 'stopped' && ('exitCode' in event || 'signal' in event)) {
      exitSeen = true;
      const how = event.signal ? `signal ${event.signal}` : `code ${event.exitCode}${event.exitCode != null && EXIT_MEANINGS[event.exitCode] ? ` (${EXIT_MEANINGS[event.exitCode]})` : ''}`;
      events.emit({ type: 'fault', fault, phase: 'effect', broker: target, simulated: false, detail: `${target} exited with ${how} ${event.ts - injectedAt} ms after ${label}` });
    }
    if (event.broker === previousMaster && event.role !== 'master') previousLeft = true;
    if (!masterSeen && event.role === 'master' && (event.broker !== previousMaster || previousLeft)) {
      masterSeen = true;
      events.emit({ type: 'fault', fault, phase: 'effect', broker: event.broker, simulated: false, detail: `${event.broker} became master ${event.ts - injectedAt} ms after ${label}` });
    }
    if (exitSeen && masterSeen) done();
  });
  const timer = setTimeout(done, EFFECT_WINDOW_MS);
  timer.unref();
}

import { EXIT } from '../../broker/server/index.js';
import type { LabEventInput } from '../api/contract/index.js';
import type { BrokerHandle } from './broker-handle.js';

export const SUPERVISOR_RESTART_DELAY_MS = 200;

/**
 * ActiveMQ's "restarting broker": a master that exited because it lost the lock (exit code 3) is
 * started again and rejoins as a slave. Exits the lab caused (stop, kill) are left alone.
 */
export class Supervisor {
  private enabled: boolean;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    enabled: boolean,
    private readonly emit: (event: LabEventInput) => void,
    private readonly delayMs = SUPERVISOR_RESTART_DELAY_MS,
  ) {
    this.enabled = enabled;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) this.cancel();
  }

  watch(broker: BrokerHandle): void {
    broker.onExit((exit, intentional) => {
      if (!this.enabled || intentional || exit.code !== EXIT.lockLost) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.enabled || broker.running) return;
        this.emit({ type: 'fault', fault: 'supervisor-restart', phase: 'effect', broker: broker.name, simulated: false, detail: `${broker.name} exited with code ${EXIT.lockLost} (lock lost): restarting it as a slave` });
        broker.start();
      }, this.delayMs);
      this.timers.add(timer);
    });
  }

  cancel(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

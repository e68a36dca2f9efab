import type { BrokerUri, FailoverOptions } from './failover-uri.js';

/**
 * ActiveMQ's `FailoverTransport` reconnect rules as pure functions of the options, so they can be
 * tested without sockets or time: the order of one pass over the brokers, the delay after a failed
 * pass, and when to give up.
 */
export class ReconnectPolicy {
  constructor(
    private readonly brokers: readonly BrokerUri[],
    private readonly options: FailoverOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * The brokers to try in one pass. With `randomize` the list is shuffled. The broker that just failed
   * goes last, so a dead broker first in the list is not retried before the others (AMQ-6248: a dead
   * first broker made clients flap). With `priorityBackup` the priority brokers come first.
   */
  connectOrder(lastFailed: string | null): BrokerUri[] {
    const list = [...this.brokers];
    if (this.options.randomize) shuffle(list, this.random);
    if (this.options.priorityBackup) {
      const priority = list.filter((b) => this.isPriority(b.uri));
      const rest = list.filter((b) => !this.isPriority(b.uri));
      return [...priority, ...rest];
    }
    if (lastFailed !== null) {
      const index = list.findIndex((b) => b.uri === lastFailed);
      if (index >= 0 && list.length > 1) list.push(...list.splice(index, 1));
    }
    return list;
  }

  /** The delay before pass `failedPasses + 1`, after `failedPasses` passes failed (1-based). */
  delayMs(failedPasses: number): number {
    const o = this.options;
    if (!o.useExponentialBackOff) return o.initialReconnectDelay;
    const delay = o.initialReconnectDelay * Math.pow(o.reconnectDelayExponent, Math.max(0, failedPasses - 1));
    return Math.min(o.maxReconnectDelay, Math.round(delay));
  }

  /**
   * True when no further pass may be made after `failedPasses` failed ones. `startupMaxReconnectAttempts`
   * counts before the first connection, `maxReconnectAttempts` after one broke; -1 never gives up, and
   * 0 allows the first pass only.
   */
  exhausted(failedPasses: number, everConnected: boolean): boolean {
    const limit = everConnected ? this.options.maxReconnectAttempts : this.options.startupMaxReconnectAttempts;
    return limit >= 0 && failedPasses > limit;
  }

  /** With `priorityBackup`: the priority URIs, or the first broker of the list. */
  isPriority(uri: string): boolean {
    const priority = this.options.priorityURIs.length > 0 ? this.options.priorityURIs : [this.brokers[0]?.uri];
    return priority.includes(uri);
  }
}

function shuffle<T>(list: T[], random: () => number): void {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
}

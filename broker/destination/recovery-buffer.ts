import type { SubscriptionRecoveryPolicy } from '../config/destination-policy.js';
import type { BrokerMessage } from './message.js';

/**
 * What a topic keeps for `activemq.retroactive:true` subscribers, per its subscriptionRecoveryPolicy
 * (ActiveMQ's LastImage-, FixedCount- and TimedSubscriptionRecoveryPolicy).
 */
export class RecoveryBuffer {
  private messages: BrokerMessage[] = [];

  constructor(
    private readonly policy: SubscriptionRecoveryPolicy,
    private readonly now: () => number,
  ) {}

  add(message: BrokerMessage): void {
    switch (this.policy.kind) {
      case 'none':
        return;
      case 'last-image':
        this.messages = [message];
        return;
      case 'fixed-count':
        this.messages.push(message);
        if (this.messages.length > this.policy.maximumSize) this.messages.shift();
        return;
      case 'timed':
        this.messages.push(message);
        this.prune();
    }
  }

  /** The messages a retroactive subscriber is sent first, oldest first. */
  recover(): BrokerMessage[] {
    if (this.policy.kind === 'timed') this.prune();
    return [...this.messages];
  }

  private prune(): void {
    if (this.policy.kind !== 'timed') return;
    const oldest = this.now() - this.policy.recoverDurationMs;
    let drop = 0;
    while (drop < this.messages.length && (this.messages[drop] as BrokerMessage).timestamp < oldest) drop++;
    if (drop > 0) this.messages.splice(0, drop);
  }
}

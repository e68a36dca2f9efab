import type { PolicyEntryConfig } from '../config/destination-policy.js';
import { destinationName, DLQ, wildcardMatcher, type DestinationName } from './destination-name.js';

/**
 * The one policy entry that applies to a destination, chosen as ActiveMQ's PolicyMap does: of the
 * entries of its kind whose pattern matches, the last in name order (`DestinationMap.chooseValue`
 * sorts the matches and takes the last), so `FOO.BAR` wins over `FOO.>`, which wins over `>`.
 */
export function policyFor(name: DestinationName, entries: readonly PolicyEntryConfig[]): PolicyEntryConfig | null {
  let chosen: PolicyEntryConfig | null = null;
  for (const entry of entries) {
    if (entry.destinationKind !== name.kind || !wildcardMatcher(entry.pattern)(name.physicalName)) continue;
    if (chosen === null || entry.pattern >= chosen.pattern) chosen = entry;
  }
  return chosen;
}

/** Where a poisoned (NACKed) message goes: the shared `ActiveMQ.DLQ`, or an individual one. */
export function deadLetterQueueFor(name: DestinationName, policy: PolicyEntryConfig | null): DestinationName {
  const individual = policy?.individualDeadLetter ?? null;
  if (individual === null) return DLQ;
  const prefix = name.kind === 'queue' ? individual.queuePrefix : individual.topicPrefix;
  return destinationName('queue', `${prefix}${name.physicalName}`);
}

import type { DiagnosticSink } from './diagnostics.js';
import { attribute, childElements, type XmlElement } from './xml-tree.js';
import { parseNonNegativeInteger } from './attributes.js';
import { exceedsColumn } from '../store/column-bounds.js';

/** ActiveMQ's topic `subscriptionRecoveryPolicy` (what a retroactive subscriber is sent first). */
export type SubscriptionRecoveryPolicy =
  | { kind: 'none' }
  | { kind: 'last-image' }
  | { kind: 'fixed-count'; maximumSize: number }
  | { kind: 'timed'; recoverDurationMs: number };

/** One `<policyEntry queue=|topic=>`, reduced to what the lab honours. */
export interface PolicyEntryConfig {
  destinationKind: 'queue' | 'topic';
  /** The name pattern, with ActiveMQ wildcards (`>`, `*`). */
  pattern: string;
  /** `queuePrefetch` / `topicPrefetch`: the default `activemq.prefetchSize`; null = ActiveMQ's default. */
  queuePrefetch: number | null;
  topicPrefetch: number | null;
  /** `maxPageSize`: persistent messages a queue keeps in memory at a time; null = ActiveMQ's 200. */
  maxPageSize: number | null;
  /** `prioritizedMessages`: queues dispatch higher JMS priority first. */
  prioritizedMessages: boolean;
  subscriptionRecovery: SubscriptionRecoveryPolicy;
  /** `sharedDeadLetterStrategy`/`individualDeadLetterStrategy` `processNonPersistent`. */
  processNonPersistent: boolean;
  /** `individualDeadLetterStrategy`: `ActiveMQ.DLQ.Queue.<name>` style queues; null = the shared `ActiveMQ.DLQ`. */
  individualDeadLetter: { queuePrefix: string; topicPrefix: string } | null;
}

/** Attributes of `<policyEntry>` we honour, or that are true of our brokers anyway (strict order). */
const HONOURED = new Set(['queue', 'topic', 'queuePrefetch', 'topicPrefetch', 'maxPageSize', 'prioritizedMessages', 'strictOrderDispatch']);
/** Topic dispatch policies our single-threaded dispatch already satisfies. */
const DISPATCH_POLICIES = new Set(['strictOrderDispatchPolicy', 'simpleDispatchPolicy', 'roundRobinDispatchPolicy']);

/**
 * `<destinationPolicy><policyMap><policyEntries><policyEntry .../>`: parsed into entries in document
 * order; the broker picks one per destination with ActiveMQ's precedence. Everything else the entry
 * holds is a positioned warning (not honoured), never silence.
 */
export function readDestinationPolicy(element: XmlElement, sink: DiagnosticSink): PolicyEntryConfig[] {
  const entries: PolicyEntryConfig[] = [];
  for (const policyMap of element.children) {
    if (policyMap.name !== 'policyMap') {
      sink.warning('policy-not-honoured', policyMap, `<${policyMap.name}> in <destinationPolicy> is not honoured; ignored`);
      continue;
    }
    for (const child of policyMap.children) {
      if (child.name !== 'policyEntries') {
        sink.warning('policy-not-honoured', child, `<${child.name}> in <policyMap> is not honoured (use <policyEntries>); ignored`);
        continue;
      }
      for (const entry of child.children) {
        if (entry.name !== 'policyEntry') {
          sink.warning('policy-not-honoured', entry, `<${entry.name}> in <policyEntries> is not honoured; ignored`);
          continue;
        }
        const parsed = readPolicyEntry(entry, sink);
        if (parsed !== null) entries.push(parsed);
      }
    }
  }
  return entries;
}

function readPolicyEntry(entry: XmlElement, sink: DiagnosticSink): PolicyEntryConfig | null {
  const queue = attribute(entry, 'queue');
  const topic = attribute(entry, 'topic');
  if ((queue === undefined) === (topic === undefined)) {
    sink.warning('policy-entry-destination', entry, '<policyEntry> needs exactly one of queue= or topic=; ignored');
    return null;
  }
  const parsed: PolicyEntryConfig = {
    destinationKind: queue !== undefined ? 'queue' : 'topic',
    pattern: (queue ?? topic)?.value.trim() ?? '',
    queuePrefetch: integer(entry, 'queuePrefetch', sink),
    topicPrefetch: integer(entry, 'topicPrefetch', sink),
    maxPageSize: pageSize(entry, sink),
    prioritizedMessages: /^(true|yes|on|1)$/i.test(attribute(entry, 'prioritizedMessages')?.value.trim() ?? ''),
    subscriptionRecovery: { kind: 'none' },
    processNonPersistent: false,
    individualDeadLetter: null,
  };
  for (const a of entry.attributes) {
    if (HONOURED.has(a.name) || a.uri !== '') continue;
    sink.warning('policy-not-honoured', entry, `${a.name}="${a.value}" on <policyEntry> is not honoured by the lab; ignored`, a);
  }
  for (const child of entry.children) {
    const inner = child.children[0];
    if (child.name === 'dispatchPolicy' && inner !== undefined && DISPATCH_POLICIES.has(inner.name)) continue;
    if (child.name === 'subscriptionRecoveryPolicy' && inner !== undefined) {
      const recovery = readRecovery(inner, sink);
      if (recovery !== null) parsed.subscriptionRecovery = recovery;
      continue;
    }
    if (child.name === 'deadLetterStrategy' && inner !== undefined) {
      if (readDeadLetter(inner, parsed, sink)) continue;
    }
    sink.warning('policy-not-honoured', inner ?? child, `<${(inner ?? child).name}> in <policyEntry> is not honoured by the lab; ignored`);
  }
  return parsed;
}

function readRecovery(element: XmlElement, sink: DiagnosticSink): SubscriptionRecoveryPolicy | null {
  switch (element.name) {
    case 'noSubscriptionRecoveryPolicy':
      return { kind: 'none' };
    case 'lastImageSubscriptionRecoveryPolicy':
      return { kind: 'last-image' };
    case 'fixedCountSubscriptionRecoveryPolicy':
      // ActiveMQ's FixedCountSubscriptionRecoveryPolicy default maximumSize is 100.
      return { kind: 'fixed-count', maximumSize: integer(element, 'maximumSize', sink) ?? 100 };
    case 'timedSubscriptionRecoveryPolicy':
      // ActiveMQ's TimedSubscriptionRecoveryPolicy default recoverDuration is 60 s.
      return { kind: 'timed', recoverDurationMs: integer(element, 'recoverDuration', sink) ?? 60_000 };
    default:
      sink.warning('policy-not-honoured', element, `<${element.name}> is not honoured by the lab; no subscription recovery`);
      return null;
  }
}

function readDeadLetter(element: XmlElement, entry: PolicyEntryConfig, sink: DiagnosticSink): boolean {
  if (element.name !== 'sharedDeadLetterStrategy' && element.name !== 'individualDeadLetterStrategy') return false;
  entry.processNonPersistent = /^(true|yes|on|1)$/i.test(attribute(element, 'processNonPersistent')?.value.trim() ?? '');
  if (element.name === 'individualDeadLetterStrategy') {
    entry.individualDeadLetter = {
      queuePrefix: attribute(element, 'queuePrefix')?.value ?? 'ActiveMQ.DLQ.Queue.',
      topicPrefix: attribute(element, 'topicPrefix')?.value ?? 'ActiveMQ.DLQ.Topic.',
    };
  }
  for (const name of ['queuePrefix', 'topicPrefix']) {
    const a = attribute(element, name);
    // A dead-letter queue is stored as queue://<prefix><destination name>: the prefix must leave room for a name.
    const tooLong = a ? exceedsColumn('ACTIVEMQ_MSGS.CONTAINER', `${name} as a dead-letter queue (queue://${name}, plus one character of name)`, `queue://${a.value}x`) : null;
    if (tooLong) sink.error('value-too-long', element, tooLong, a);
  }
  for (const a of element.attributes) {
    if (['processNonPersistent', 'queuePrefix', 'topicPrefix'].includes(a.name) || a.uri !== '') continue;
    sink.warning('policy-not-honoured', element, `${a.name}="${a.value}" on <${element.name}> is not honoured by the lab; ignored`, a);
  }
  for (const child of childElements(element, 'deadLetterQueue')) sink.warning('policy-not-honoured', child, '<deadLetterQueue> is not honoured; ignored');
  return true;
}

/** A page of 0 would never let a stored message back into memory. */
function pageSize(entry: XmlElement, sink: DiagnosticSink): number | null {
  const n = integer(entry, 'maxPageSize', sink);
  if (n !== 0) return n;
  sink.error('invalid-number', entry, 'maxPageSize="0" must be at least 1', attribute(entry, 'maxPageSize'));
  return null;
}

function integer(element: XmlElement, name: string, sink: DiagnosticSink): number | null {
  const attr = attribute(element, name);
  if (attr === undefined) return null;
  const n = parseNonNegativeInteger(attr.value);
  if (n === null) sink.error('invalid-number', element, `${name}="${attr.value}" is not a whole number of 0 or more`, attr);
  return n;
}

import { ProtocolError } from '../util/errors.js';

export type DestinationKind = 'queue' | 'topic';

export interface DestinationName {
  kind: DestinationKind;
  /** ActiveMQ's physical name: `FOO` of `/queue/FOO`. */
  physicalName: string;
  /** The store's container, ActiveMQ's qualified name: `queue://FOO`. */
  container: string;
  /** How STOMP frames name it: `/queue/FOO`. */
  stomp: string;
}

export function destinationName(kind: DestinationKind, physicalName: string): DestinationName {
  return { kind, physicalName, container: `${kind}://${physicalName}`, stomp: `/${kind}/${physicalName}` };
}

/**
 * Maps a STOMP `destination` header like ActiveMQ's LegacyFrameTranslator: `/queue/` and `/topic/`
 * prefixes; any other name is, like ActiveMQ's fallback, a queue of that name. Temporary and
 * composite destinations are not supported yet and are refused.
 */
export function parseDestination(header: string): DestinationName {
  const name = header.trim();
  if (name.length === 0) throw new ProtocolError("Invalid empty or 'null' Destination header");
  if (name.includes(',')) throw new ProtocolError(`Composite destinations are not supported: [${name}]`);
  if (name.startsWith('/queue/')) return destinationName('queue', name.slice('/queue/'.length));
  if (name.startsWith('/topic/')) return destinationName('topic', name.slice('/topic/'.length));
  if (name.startsWith('/temp-queue/') || name.startsWith('/temp-topic/') || name.startsWith('/remote-temp-')) {
    throw new ProtocolError(`Temporary destinations are not supported: [${name}]`);
  }
  return destinationName('queue', name);
}

/** `queue://FOO` → the destination; null for containers this broker does not map. */
export function fromContainer(container: string): DestinationName | null {
  if (container.startsWith('queue://')) return destinationName('queue', container.slice('queue://'.length));
  if (container.startsWith('topic://')) return destinationName('topic', container.slice('topic://'.length));
  return null;
}

/** ActiveMQ's shared dead letter queue (SharedDeadLetterStrategy). */
export const DLQ = destinationName('queue', 'ActiveMQ.DLQ');

import { exceedsColumn } from '../store/column-bounds.js';
import { ProtocolError } from '../util/errors.js';

export type DestinationKind = 'queue' | 'topic';

export interface DestinationName {
  kind: DestinationKind;
  /** ActiveMQ's physical name: `FOO` of `/queue/FOO`. */
  physicalName: string;
  /** The store's container, ActiveMQ's qualified name: `queue://FOO`, `temp-queue://ID:...`. */
  container: string;
  /** How STOMP frames name it: `/queue/FOO`, `/remote-temp-queue/ID:...`. */
  stomp: string;
  /** A temporary destination: lives as long as the connection that created it, never stored. */
  temp: boolean;
  /** A topic name with `*` or `>` path elements: subscriptions only (ActiveMQ wildcards). */
  wildcard: boolean;
}

export function destinationName(kind: DestinationKind, physicalName: string, temp = false): DestinationName {
  const wildcard = kind === 'topic' && !temp && physicalName.split('.').some((p) => p === '*' || p === '>');
  if (temp) {
    return { kind, physicalName, container: `temp-${kind}://${physicalName}`, stomp: `/remote-temp-${kind}/${physicalName}`, temp, wildcard };
  }
  return { kind, physicalName, container: `${kind}://${physicalName}`, stomp: `/${kind}/${physicalName}`, temp, wildcard };
}

/** The physical name of `/temp-queue/NAME` on connection `connectionId` (ActiveMQ: `ID:...:n`). */
function tempPhysicalName(connectionId: string, name: string): string {
  return `${connectionId}:${name}`;
}

/**
 * Maps a STOMP `destination` header like ActiveMQ's LegacyFrameTranslator: `/queue/` and `/topic/`
 * prefixes; `/temp-queue/X` and `/temp-topic/X` are this connection's temporary destinations,
 * `/remote-temp-queue/ID` another connection's; any other name is, like ActiveMQ's fallback, a
 * queue of that name. `connectionId` scopes temporary names.
 */
export function parseDestination(header: string, connectionId: string): DestinationName {
  const name = header.trim();
  if (name.length === 0) throw new ProtocolError("Invalid empty or 'null' Destination header");
  if (name.includes(',')) throw new ProtocolError(`Composite destinations are not supported here: [${name}]`);
  return parseOne(name, connectionId, null);
}

/**
 * A SEND destination, possibly composite (`/queue/a,/topic/b`): a part without a prefix takes the
 * kind of the part before it, as ActiveMQ's composite destinations do.
 */
export function parseDestinations(header: string, connectionId: string): DestinationName[] {
  const name = header.trim();
  if (name.length === 0) throw new ProtocolError("Invalid empty or 'null' Destination header");
  if (!name.includes(',')) return [parseOne(name, connectionId, null)];
  const out: DestinationName[] = [];
  for (const part of name.split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') throw new ProtocolError(`Invalid composite destination: [${name}]`);
    const previous = out.at(-1);
    out.push(parseOne(trimmed, connectionId, previous?.kind ?? null));
  }
  return out;
}

const PREFIXES: ReadonlyArray<[string, DestinationKind, 'plain' | 'temp' | 'remote-temp']> = [
  ['/queue/', 'queue', 'plain'],
  ['/topic/', 'topic', 'plain'],
  ['/temp-queue/', 'queue', 'temp'],
  ['/temp-topic/', 'topic', 'temp'],
  ['/remote-temp-queue/', 'queue', 'remote-temp'],
  ['/remote-temp-topic/', 'topic', 'remote-temp'],
];

function parseOne(name: string, connectionId: string, inherited: DestinationKind | null): DestinationName {
  for (const [prefix, kind, scope] of PREFIXES) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    if (rest === '') throw new ProtocolError(`Invalid destination: [${name}]`);
    if (scope === 'plain') return storable(destinationName(kind, rest));
    return destinationName(kind, scope === 'temp' ? tempPhysicalName(connectionId, rest) : rest, true);
  }
  return storable(destinationName(inherited ?? 'queue', name));
}

/** A destination whose messages may be stored must fit ACTIVEMQ_MSGS.CONTAINER (temporary and wildcard ones never are). */
function storable(name: DestinationName): DestinationName {
  const tooLong = name.wildcard ? null : exceedsColumn('ACTIVEMQ_MSGS.CONTAINER', `destination ${name.container.slice(0, 40)}...`, name.container);
  if (tooLong) throw new ProtocolError(tooLong);
  return name;
}

/** `queue://FOO` → the destination; null for containers this broker does not map. */
export function fromContainer(container: string): DestinationName | null {
  if (container.startsWith('queue://')) return destinationName('queue', container.slice('queue://'.length));
  if (container.startsWith('topic://')) return destinationName('topic', container.slice('topic://'.length));
  return null;
}

/** How `name` is shown to connection `connectionId`: its own temporary destinations by their short name. */
export function stompNameFor(name: DestinationName, connectionId: string): string {
  if (!name.temp || !name.physicalName.startsWith(`${connectionId}:`)) return name.stomp;
  return `/temp-${name.kind}/${name.physicalName.slice(connectionId.length + 1)}`;
}

/**
 * ActiveMQ topic wildcards: `.` separates path elements, `*` matches one element, `>` the rest
 * (zero or more elements).
 */
export function wildcardMatcher(pattern: string): (physicalName: string) => boolean {
  const parts = pattern.split('.');
  return (physicalName) => {
    const names = physicalName.split('.');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part === '>') return true;
      if (i >= names.length) return false;
      if (part !== '*' && part !== names[i]) return false;
    }
    return names.length === parts.length;
  };
}

/** ActiveMQ's shared dead letter queue (SharedDeadLetterStrategy). */
export const DLQ = destinationName('queue', 'ActiveMQ.DLQ');

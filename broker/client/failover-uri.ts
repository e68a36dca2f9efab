import { ClientError } from './client-errors.js';

/**
 * ActiveMQ's failover URI (`FailoverTransportFactory`, `FailoverTransport`), with its option names and
 * defaults: `failover:(stomp://a:61613,ws://b:61614)?initialReconnectDelay=100` or `failover:uri1,uri2`.
 */
export interface FailoverOptions {
  initialReconnectDelay: number;
  maxReconnectDelay: number;
  useExponentialBackOff: boolean;
  reconnectDelayExponent: number;
  /** -1: forever; 0: no reconnect after the first connection broke. */
  maxReconnectAttempts: number;
  /** Before the first connection; -1: forever. */
  startupMaxReconnectAttempts: number;
  randomize: boolean;
  /** Ms a send waits for a connection before failing; -1: forever. */
  timeout: number;
  trackMessages: boolean;
  /** Bytes of unreceipted fire-and-forget sends kept for replay when `trackMessages` is on. */
  maxCacheSize: number;
  priorityBackup: boolean;
  /** The preferred URIs for `priorityBackup`; default: the first URI of the list. */
  priorityURIs: readonly string[];
}

export const DEFAULT_FAILOVER_OPTIONS: Readonly<FailoverOptions> = Object.freeze({
  initialReconnectDelay: 10,
  maxReconnectDelay: 30_000,
  useExponentialBackOff: true,
  reconnectDelayExponent: 2.0,
  maxReconnectAttempts: -1,
  startupMaxReconnectAttempts: -1,
  randomize: true,
  timeout: -1,
  trackMessages: false,
  maxCacheSize: 128 * 1024,
  priorityBackup: false,
  priorityURIs: [],
});

/** Options of one broker URI (its own query, then `nested.*` from the failover URI). */
export interface BrokerUriOptions {
  /** ActiveMQ's TCP `connectionTimeout`: ms for TCP connect + STOMP CONNECTED. */
  connectionTimeout: number;
  /** ActiveMQ's `wireFormat.maxInactivityDuration`: heart-beat period in ms; 0 disables. */
  maxInactivityDuration: number;
  login: string | null;
  passcode: string | null;
}

export const DEFAULT_BROKER_URI_OPTIONS: Readonly<BrokerUriOptions> = Object.freeze({
  connectionTimeout: 30_000,
  maxInactivityDuration: 0,
  login: null,
  passcode: null,
});

export interface BrokerUri {
  /** As written in the list, without query: `stomp://127.0.0.1:61613`. */
  uri: string;
  scheme: 'stomp' | 'tcp' | 'ws';
  host: string;
  port: number;
  options: BrokerUriOptions;
}

export interface FailoverUri {
  brokers: readonly BrokerUri[];
  options: FailoverOptions;
}

type Kind = 'int' | 'number' | 'boolean' | 'list';
const FAILOVER_OPTION_KINDS: Record<keyof FailoverOptions, Kind> = {
  initialReconnectDelay: 'int',
  maxReconnectDelay: 'int',
  useExponentialBackOff: 'boolean',
  reconnectDelayExponent: 'number',
  maxReconnectAttempts: 'int',
  startupMaxReconnectAttempts: 'int',
  randomize: 'boolean',
  timeout: 'int',
  trackMessages: 'boolean',
  maxCacheSize: 'int',
  priorityBackup: 'boolean',
  priorityURIs: 'list',
};

const BROKER_OPTION_NAMES: Record<string, keyof BrokerUriOptions> = {
  connectionTimeout: 'connectionTimeout',
  'wireFormat.maxInactivityDuration': 'maxInactivityDuration',
  login: 'login',
  passcode: 'passcode',
};

/** Parses a failover URI; a plain `stomp://host:port` is a list of one. Throws `ClientError('URI')`. */
export function parseFailoverUri(text: string): FailoverUri {
  const trimmed = text.trim();
  let list: string;
  let query = '';
  if (trimmed.startsWith('failover:')) {
    const rest = trimmed.slice('failover:'.length);
    if (rest.startsWith('(')) {
      const close = rest.lastIndexOf(')');
      if (close < 0) throw new ClientError('URI', `"${text}": missing ")" after the broker list`);
      list = rest.slice(1, close);
      const after = rest.slice(close + 1);
      if (after && !after.startsWith('?')) throw new ClientError('URI', `"${text}": expected "?" after ")", got "${after}"`);
      query = after.slice(1);
    } else {
      // `failover:uri1,uri2?opts`: the query belongs to the failover transport (ActiveMQ does the same).
      const q = rest.indexOf('?');
      list = q < 0 ? rest : rest.slice(0, q);
      query = q < 0 ? '' : rest.slice(q + 1);
    }
  } else {
    list = trimmed;
  }
  const { failover, nested } = readFailoverQuery(query, text);
  const entries = splitList(list);
  if (entries.length === 0) throw new ClientError('URI', `"${text}": no broker URI`);
  const brokers = entries.map((entry) => parseBrokerUri(entry, nested));
  const unknownPriority = failover.priorityURIs.filter((u) => !brokers.some((b) => b.uri === normalise(u)));
  if (unknownPriority.length > 0) {
    throw new ClientError('URI', `priorityURIs names ${unknownPriority.join(', ')}, which is not in the broker list`);
  }
  return { brokers, options: { ...failover, priorityURIs: failover.priorityURIs.map(normalise) } };
}

function splitList(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function readFailoverQuery(query: string, text: string): { failover: FailoverOptions; nested: Map<string, string> } {
  const failover: FailoverOptions = { ...DEFAULT_FAILOVER_OPTIONS };
  const nested = new Map<string, string>();
  const unknown: string[] = [];
  for (const [name, value] of queryPairs(query)) {
    if (name.startsWith('nested.')) {
      nested.set(name.slice('nested.'.length), value);
      continue;
    }
    if (!Object.hasOwn(FAILOVER_OPTION_KINDS, name)) {
      unknown.push(name);
      continue;
    }
    const key = name as keyof FailoverOptions;
    (failover as unknown as Record<string, unknown>)[key] = convert(key, FAILOVER_OPTION_KINDS[key], value);
  }
  if (unknown.length > 0) throw new ClientError('URI', `"${text}": unknown failover option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  checkRanges(failover);
  return { failover, nested };
}

function checkRanges(o: FailoverOptions): void {
  if (o.initialReconnectDelay < 0) throw new ClientError('URI', 'initialReconnectDelay must be at least 0');
  if (o.maxReconnectDelay < o.initialReconnectDelay) {
    throw new ClientError('URI', `maxReconnectDelay (${o.maxReconnectDelay}) is below initialReconnectDelay (${o.initialReconnectDelay})`);
  }
  if (o.reconnectDelayExponent < 1) throw new ClientError('URI', 'reconnectDelayExponent must be at least 1');
  if (o.maxReconnectAttempts < -1 || o.startupMaxReconnectAttempts < -1) throw new ClientError('URI', 'reconnect attempts must be -1 (forever) or more');
  if (o.timeout < -1) throw new ClientError('URI', 'timeout must be -1 (forever) or more');
}

function convert(name: string, kind: Kind, value: string): unknown {
  switch (kind) {
    case 'int':
      if (!/^-?\d+$/.test(value)) throw new ClientError('URI', `${name}=${value}: expected an integer`);
      return Number(value);
    case 'number':
      if (!/^-?\d+(\.\d+)?$/.test(value)) throw new ClientError('URI', `${name}=${value}: expected a number`);
      return Number(value);
    case 'boolean':
      if (value !== 'true' && value !== 'false') throw new ClientError('URI', `${name}=${value}: expected true or false`);
      return value === 'true';
    case 'list':
      return splitList(value);
  }
}

function queryPairs(query: string): Array<[string, string]> {
  if (!query) return [];
  return query.split('&').filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    return [name, decodeURIComponent(eq < 0 ? '' : pair.slice(eq + 1))];
  });
}

function normalise(uri: string): string {
  const q = uri.indexOf('?');
  return (q < 0 ? uri : uri.slice(0, q)).trim();
}

function parseBrokerUri(entry: string, nested: ReadonlyMap<string, string>): BrokerUri {
  const match = /^(stomp|tcp|ws):\/\/([^:/?]+):(\d+)\/?(?:\?(.*))?$/.exec(entry);
  if (!match) throw new ClientError('URI', `"${entry}": expected stomp://host:port, tcp://host:port or ws://host:port`);
  const options: BrokerUriOptions = { ...DEFAULT_BROKER_URI_OPTIONS };
  const unknown: string[] = [];
  // nested.* first, then the URI's own query wins (ActiveMQ appends nested options to each URI).
  const pairs: Array<[string, string]> = [...nested.entries(), ...queryPairs(match[4] ?? '')];
  for (const [name, value] of pairs) {
    const key = BROKER_OPTION_NAMES[name];
    if (!key) {
      unknown.push(name);
      continue;
    }
    if (key === 'login' || key === 'passcode') options[key] = value;
    else options[key] = convert(name, 'int', value) as number;
  }
  if (unknown.length > 0) throw new ClientError('URI', `"${entry}": unknown broker URI option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  const port = Number(match[3]);
  if (port < 1 || port > 65535) throw new ClientError('URI', `"${entry}": port ${port} out of range`);
  return { uri: normalise(entry), scheme: match[1] as BrokerUri['scheme'], host: match[2]!, port, options };
}

/**
 * Per-connector STOMP options from the transportConnector URI query (ActiveMQ names: `wireFormat.*`
 * go to the wire format, `transport.*` to the transport, the rest to the TransportConnector).
 * One function maps the URI options to runtime settings; docs/stomp.md lists them with defaults.
 */

export interface WireFormatLimits {
  /** `wireFormat.maxFrameSize`: ActiveMQ's default is Long.MAX_VALUE (no limit of its own). */
  maxFrameSize: number;
  /** `wireFormat.maxDataLength`: body bytes, ActiveMQ default 100 MiB. */
  maxDataLength: number;
  /** `wireFormat.maxHeaders`: ActiveMQ `MAX_HEADERS` (a constant there). */
  maxHeaders: number;
  /** `wireFormat.maxHeaderLength`: bytes of one header line, ActiveMQ `MAX_HEADER_LENGTH`. */
  maxHeaderLength: number;
  /** `wireFormat.maxCommandLength`: ActiveMQ `MAX_COMMAND_LENGTH`. */
  maxCommandLength: number;
}

export interface ConnectorSettings {
  wireFormat: WireFormatLimits;
  /** `transport.defaultHeartBeat`: the CONNECT `heart-beat` assumed when a client sends none. */
  defaultHeartBeat: string;
  /** `transport.hbGracePeriodMultiplier`: a client silent for its interval × this is dropped. */
  hbGracePeriodMultiplier: number;
  /** `maximumConnections`: open connections on this connector; more are refused. */
  maximumConnections: number;
  /**
   * `pendingMessageLimit` (ours): messages a non-durable topic subscriber may have waiting beyond its
   * prefetch; the oldest are dropped past it (ActiveMQ's constantPendingMessageLimitStrategy). -1: none.
   */
  pendingMessageLimit: number;
  /**
   * OpenWire `wireFormat.maxInactivityDuration` (ms, 0 = off) the broker advertises; unset: 30000.
   * Negotiated by Math.min with the client's, so either side can switch monitoring off.
   */
  maxInactivityDuration?: number;
  /** OpenWire `wireFormat.maxInactivityDurationInitalDelay` (ActiveMQ's spelling, ms); unset: 10000. */
  maxInactivityDurationInitalDelay?: number;
}

export const DEFAULT_CONNECTOR_SETTINGS: Readonly<ConnectorSettings> = Object.freeze({
  wireFormat: Object.freeze({
    maxFrameSize: Number.MAX_SAFE_INTEGER,
    maxDataLength: 100 * 1024 * 1024,
    maxHeaders: 1000,
    maxHeaderLength: 10 * 1024,
    maxCommandLength: 1024,
  }),
  defaultHeartBeat: '0,0',
  hbGracePeriodMultiplier: 2,
  maximumConnections: Number.MAX_SAFE_INTEGER,
  pendingMessageLimit: -1,
});

export type ConnectorOptionProblem =
  | { kind: 'not-honoured'; key: string; message: string }
  | { kind: 'invalid'; key: string; message: string };

export interface ConnectorSettingsResult {
  settings: ConnectorSettings;
  problems: ConnectorOptionProblem[];
}

const WIRE_FORMAT_KEYS: ReadonlyArray<keyof WireFormatLimits> = [
  'maxFrameSize',
  'maxDataLength',
  'maxHeaders',
  'maxHeaderLength',
  'maxCommandLength',
];

/** Every honoured option name, as written on the URI. */
const HONOURED_CONNECTOR_OPTIONS: readonly string[] = [
  ...WIRE_FORMAT_KEYS.map((k) => `wireFormat.${k}`),
  'transport.defaultHeartBeat',
  'transport.hbGracePeriodMultiplier',
  'maximumConnections',
  'pendingMessageLimit',
  'wireFormat.maxInactivityDuration',
  'wireFormat.maxInactivityDurationInitalDelay',
];

/** Maps URI query options to settings; an unusable value keeps the default and is reported. */
export function readConnectorSettings(options: Readonly<Record<string, string>>): ConnectorSettingsResult {
  const problems: ConnectorOptionProblem[] = [];
  const wireFormat = { ...DEFAULT_CONNECTOR_SETTINGS.wireFormat };
  const settings: ConnectorSettings = { ...DEFAULT_CONNECTOR_SETTINGS, wireFormat };
  for (const [key, value] of Object.entries(options)) {
    const invalid = (expected: string) => problems.push({ kind: 'invalid', key, message: `${key}="${value}": expected ${expected}` });
    if (key.startsWith('wireFormat.') && (WIRE_FORMAT_KEYS as readonly string[]).includes(key.slice(11))) {
      const n = wholeNumber(value);
      if (n === null || n < 1) invalid('a whole number ≥ 1');
      else wireFormat[key.slice(11) as keyof WireFormatLimits] = n;
    } else if (key === 'wireFormat.maxInactivityDuration' || key === 'wireFormat.maxInactivityDurationInitalDelay') {
      const n = wholeNumber(value);
      if (n === null) invalid('a whole number of milliseconds ≥ 0');
      else settings[key === 'wireFormat.maxInactivityDuration' ? 'maxInactivityDuration' : 'maxInactivityDurationInitalDelay'] = n;
    } else if (key === 'transport.defaultHeartBeat') {
      if (!/^\s*\d+\s*,\s*\d+\s*$/.test(value)) invalid('"cx,cy" in milliseconds, e.g. 5000,0');
      else settings.defaultHeartBeat = value.replace(/\s/g, '');
    } else if (key === 'transport.hbGracePeriodMultiplier') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n) || n < 1) invalid('a number ≥ 1');
      else settings.hbGracePeriodMultiplier = n;
    } else if (key === 'maximumConnections') {
      const n = wholeNumber(value);
      if (n === null || n < 1) invalid('a whole number ≥ 1');
      else settings.maximumConnections = n;
    } else if (key === 'pendingMessageLimit') {
      const n = /^-1$/.test(value.trim()) ? -1 : wholeNumber(value);
      if (n === null) invalid('a whole number ≥ 0, or -1 for no limit');
      else settings.pendingMessageLimit = n;
    } else {
      problems.push({
        kind: 'not-honoured',
        key,
        message: `connector option ${key} is not honoured; ignored (honoured: ${HONOURED_CONNECTOR_OPTIONS.join(', ')})`,
      });
    }
  }
  return { settings, problems };
}

function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) ? n : null;
}

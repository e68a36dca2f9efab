import type { PrimitiveMap } from './codec/primitive-map.js';
import type { WireFormatInfo } from './codec/marshal.js';
import { OPENWIRE_VERSION } from './codec/specs.js';

export interface WireFormatSettings {
  /** `wireFormat.maxFrameSize` on the connector. */
  maxFrameSize: number;
  /** `wireFormat.maxInactivityDuration` (ms; 0 switches inactivity monitoring off on both sides). */
  maxInactivityDuration: number;
  /** `wireFormat.maxInactivityDurationInitalDelay` (ActiveMQ's spelling). */
  maxInactivityDurationInitialDelay: number;
}

export const DEFAULT_WIRE_FORMAT: Readonly<WireFormatSettings> = Object.freeze({
  maxFrameSize: 104857600,
  maxInactivityDuration: 30000,
  maxInactivityDurationInitialDelay: 10000,
});

/**
 * The broker's WireFormatInfo. Tight encoding, caching and stack traces are advertised off, so
 * (the booleans being ANDed) the connection only ever speaks loose, uncached OpenWire.
 */
export function brokerWireFormat(settings: WireFormatSettings): WireFormatInfo {
  const properties: PrimitiveMap = new Map();
  properties.set('TightEncodingEnabled', { t: 'boolean', v: false });
  properties.set('CacheEnabled', { t: 'boolean', v: false });
  properties.set('CacheSize', { t: 'int', v: 0 });
  properties.set('SizePrefixDisabled', { t: 'boolean', v: false });
  properties.set('StackTraceEnabled', { t: 'boolean', v: false });
  properties.set('TcpNoDelayEnabled', { t: 'boolean', v: true });
  properties.set('MaxInactivityDuration', { t: 'long', v: BigInt(settings.maxInactivityDuration) });
  properties.set('MaxInactivityDurationInitalDelay', { t: 'long', v: BigInt(settings.maxInactivityDurationInitialDelay) });
  properties.set('MaxFrameSize', { t: 'long', v: BigInt(settings.maxFrameSize) });
  properties.set('ProviderName', { t: 'string', v: 'ActiveMQ' });
  properties.set('ProviderVersion', { t: 'string', v: '5.17.2' });
  properties.set('PlatformDetails', { t: 'string', v: 'Node.js' });
  return { type: 1, version: OPENWIRE_VERSION, properties };
}

export interface Negotiated {
  version: number;
  /** Read-inactivity period in ms; 0: no monitoring. */
  inactivityMs: number;
  initialDelayMs: number;
  maxFrameSize: number;
  sizePrefixDisabled: boolean;
}

const long = (map: PrimitiveMap, key: string): number | null => {
  const v = map.get(key);
  return v?.t === 'long' ? Number(v.v) : null;
};

/** ActiveMQ's renegotiateWireFormat: the lower version, booleans ANDed, durations by Math.min. */
export function negotiate(client: WireFormatInfo, settings: WireFormatSettings): Negotiated {
  const version = client.version > 0 ? Math.min(OPENWIRE_VERSION, client.version) : OPENWIRE_VERSION;
  const theirInactivity = long(client.properties, 'MaxInactivityDuration');
  const theirDelay = long(client.properties, 'MaxInactivityDurationInitalDelay');
  const theirFrame = long(client.properties, 'MaxFrameSize');
  return {
    version,
    inactivityMs: Math.min(settings.maxInactivityDuration, theirInactivity ?? settings.maxInactivityDuration),
    initialDelayMs: Math.min(settings.maxInactivityDurationInitialDelay, theirDelay ?? settings.maxInactivityDurationInitialDelay),
    maxFrameSize: theirFrame !== null && theirFrame > 0 ? Math.min(settings.maxFrameSize, theirFrame) : settings.maxFrameSize,
    // We advertise false, so the AND is false whatever the client says.
    sizePrefixDisabled: false,
  };
}

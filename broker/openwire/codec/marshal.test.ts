import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OpenWireError } from './errors.js';
import { FrameReader } from './frame-reader.js';
import { encodeCommand, readCommand, type DataStructure, type MarshalContext, type WireFormatInfo } from './marshal.js';
import { TYPES } from './specs.js';

/** Byte-exact frames of a real ActiveMQ 5.17.2 client session (C>B written by the client). */
const golden = readFileSync(fileURLToPath(new URL('../fixtures/golden-basic.txt', import.meta.url)), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const [direction, name, hex] = line.trim().split(/\s+/) as [string, string, string];
    return { direction, name, bytes: Buffer.from(hex, 'hex') };
  });

const V12: MarshalContext = { version: 12, stackTrace: false };

const decode = (bytes: Buffer) => readCommand(bytes.subarray(4), V12);

describe('OpenWire loose codec against a real client session', () => {
  it('has the recorded frames', () => {
    expect(golden.length).toBe(52);
  });

  it.each(golden.map((g, i) => [i, g.direction, g.name, g] as const))('frame %i %s %s decodes and re-encodes byte for byte', (_i, _d, name, g) => {
    expect(g.bytes.readInt32BE(0)).toBe(g.bytes.length - 4);
    const command = decode(g.bytes);
    expect(command).not.toBeNull();
    const type = (command as DataStructure).type;
    expect(type === 1 ? 'WireFormatInfo' : TYPES.get(type)?.name).toBe(name);
    expect(encodeCommand(command as DataStructure, V12).toString('hex')).toBe(g.bytes.toString('hex'));
  });

  it('reads the client WireFormatInfo options with their exact types', () => {
    const info = decode((golden[1] as { bytes: Buffer }).bytes) as WireFormatInfo;
    expect(info.version).toBe(12);
    expect(info.properties.get('TightEncodingEnabled')).toEqual({ t: 'boolean', v: true });
    expect(info.properties.get('CacheSize')).toEqual({ t: 'int', v: 1024 });
    expect(info.properties.get('MaxInactivityDuration')).toEqual({ t: 'long', v: 30000n });
    expect(info.properties.get('MaxFrameSize')).toEqual({ t: 'long', v: 0x7fffffffffffffffn });
    expect(info.properties.get('Host')).toEqual({ t: 'string', v: '127.0.0.1' });
  });

  it('reads a ConnectionInfo, a text message with properties and an ExceptionResponse', () => {
    const info = decode((golden.find((g) => g.name === 'ConnectionInfo') as { bytes: Buffer }).bytes) as DataStructure;
    expect(info).toMatchObject({ commandId: 1, responseRequired: true, clientId: 'probe-client', password: 'secret', userName: 'user1' });
    expect(info.connectionId).toEqual({ type: 120, value: 'ID:vm-44795-1796394535951-1:1' });
    const text = decode((golden.find((g) => g.name === 'ActiveMQTextMessage') as { bytes: Buffer }).bytes) as DataStructure;
    expect(text).toMatchObject({ correlationId: 'corr-1', persistent: true, priority: 4, jmsType: 't1' });
    expect(text.messageId).toMatchObject({ type: 110, producerSequenceId: 1, producerId: { type: 123, connectionId: 'ID:vm-44795-1796394535951-1:1', value: 1, sessionId: 1 } });
    const error = decode((golden.find((g) => g.name === 'ExceptionResponse') as { bytes: Buffer }).bytes) as DataStructure;
    expect(error.exception).toEqual({ className: 'javax.jms.InvalidDestinationException', message: 'toy broker refuses ERR.Q' });
  });
});

describe('OpenWire bad input', () => {
  it('refuses an unknown type with its position', () => {
    expect(() => readCommand(Buffer.from([77, 0, 0, 0, 1, 0]), V12)).toThrow(/unknown OpenWire data type 77 \(at byte 0\)/);
  });

  it('refuses every truncation of every recorded frame with a positioned error', () => {
    for (const g of golden) {
      const body = g.bytes.subarray(4);
      for (let cut = 1; cut < body.length; cut++) {
        let error: unknown = null;
        try {
          readCommand(body.subarray(0, cut), V12);
        } catch (err) {
          error = err;
        }
        // A cut inside a WireFormatInfo's map may still parse as a shorter map: only then no error.
        if (error === null) expect(g.name).toBe('WireFormatInfo');
        else expect(error).toBeInstanceOf(OpenWireError);
      }
    }
  });

  it('refuses trailing bytes', () => {
    const body = Buffer.concat([(golden[5] as { bytes: Buffer }).bytes.subarray(4), Buffer.from([0])]);
    expect(() => readCommand(body, V12)).toThrow(/unexpected bytes after a ConsumerInfo/);
  });

  it('splits frames across chunk boundaries and refuses one beyond maxFrameSize before buffering it', () => {
    const all = Buffer.concat(golden.map((g) => g.bytes));
    const bodies: Buffer[] = [];
    const reader = new FrameReader(1 << 20, (b) => bodies.push(b));
    for (let i = 0; i < all.length; i += 7) reader.push(all.subarray(i, i + 7));
    expect(bodies.length).toBe(golden.length);
    const small = new FrameReader(100, () => undefined);
    expect(() => small.push(Buffer.from([0, 0, 1, 0]))).toThrow('Frame size of 256 larger than max allowed 100');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../util/errors.js';
import { decodeMessage, encodeMessage, type EncodedMessageInput } from './message-codec.js';

const text = fc.string({ unit: 'binary', maxLength: 40 });
const message: fc.Arbitrary<EncodedMessageInput> = fc.record({
  headers: fc.array(fc.tuple(text, text), { maxLength: 12 }),
  body: fc.uint8Array({ maxLength: 300 }),
});

describe('message codec', () => {
  it('decodes every encoded message to the same ordered headers and body', () => {
    fc.assert(
      fc.property(message, (m) => {
        const decoded = decodeMessage(encodeMessage(m));
        expect(decoded.headers).toEqual(m.headers);
        expect(Array.from(decoded.body)).toEqual(Array.from(m.body));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps repeated headers in their order, since the first one wins in STOMP 1.2', () => {
    const headers: Array<[string, string]> = [
      ['foo', 'first'],
      ['destination', '/queue/a'],
      ['foo', 'second'],
    ];
    expect(decodeMessage(encodeMessage({ headers, body: new Uint8Array() })).headers).toEqual(headers);
  });

  it('decodes a copy that is a plain Uint8Array at an offset inside a larger buffer', () => {
    const encoded = encodeMessage({ headers: [['k', 'välue']], body: new Uint8Array([0, 1, 2]) });
    const backing = new Uint8Array(encoded.byteLength + 10);
    backing.set(encoded, 7);
    const decoded = decodeMessage(backing.subarray(7, 7 + encoded.byteLength));
    expect(decoded.headers).toEqual([['k', 'välue']]);
    expect(Array.from(decoded.body)).toEqual([0, 1, 2]);
  });

  it('rejects every truncation of a valid encoding with a StoreError', () => {
    fc.assert(
      fc.property(message, fc.nat(), (m, cut) => {
        const encoded = encodeMessage(m);
        const truncated = encoded.subarray(0, cut % encoded.byteLength);
        expect(() => decodeMessage(truncated)).toThrow(StoreError);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects trailing bytes and an unknown version', () => {
    const encoded = encodeMessage({ headers: [['a', 'b']], body: new Uint8Array([9]) });
    const longer = new Uint8Array(encoded.byteLength + 1);
    longer.set(encoded);
    expect(() => decodeMessage(longer)).toThrow(StoreError);
    const wrongVersion = Uint8Array.from(encoded);
    wrongVersion[0] = 2;
    expect(() => decodeMessage(wrongVersion)).toThrow(/unknown encoding/);
  });

  it('never throws anything but a StoreError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeMessage(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(StoreError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

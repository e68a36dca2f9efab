import { describe, expect, it } from 'vitest';
import { DataReader } from './data-io.js';
import { decodeModifiedUtf8, encodeModifiedUtf8 } from './modified-utf8.js';
import { encodeMap, readMapBody, type PrimitiveMap } from './primitive-map.js';

describe('modified UTF-8', () => {
  it('encodes per UTF-16 code unit like Java (the client wrote these bytes)', () => {
    expect(encodeModifiedUtf8('héllo 😀').toString('hex')).toBe('68c3a96c6c6f20eda0bdedb880');
    expect(encodeModifiedUtf8('a\u0000b').toString('hex')).toBe('61c08062');
  });

  it('decodes what it encodes, and refuses 4-byte sequences with their position', () => {
    const s = 'x\u0000é€😀\uffff';
    const bytes = encodeModifiedUtf8(s);
    expect(decodeModifiedUtf8(bytes, 0, bytes.length)).toBe(s);
    expect(() => decodeModifiedUtf8(Buffer.from('61f09f9880', 'hex'), 0, 5)).toThrow(/malformed modified UTF-8 string \(at byte 1\)/);
  });
});

describe('primitive map', () => {
  it('round-trips every primitive type', () => {
    const map: PrimitiveMap = new Map([
      ['n', { t: 'null' }],
      ['b', { t: 'boolean', v: true }],
      ['y', { t: 'byte', v: -3 }],
      ['c', { t: 'char', v: 0x20ac }],
      ['s', { t: 'short', v: -300 }],
      ['i', { t: 'int', v: 70000 }],
      ['l', { t: 'long', v: -(2n ** 62n) }],
      ['d', { t: 'double', v: 1.5 }],
      ['f', { t: 'float', v: 0.25 }],
      ['str', { t: 'string', v: 'héllo 😀' }],
      ['big', { t: 'string', v: 'x'.repeat(9000) }],
      ['bytes', { t: 'bytes', v: Buffer.from([1, 2, 3]) }],
      ['map', { t: 'map', v: new Map([['k', { t: 'int', v: 1 }]]) }],
      ['list', { t: 'list', v: [{ t: 'string', v: 'a' }, { t: 'long', v: 5n }] }],
    ] as Array<[string, never]>);
    const bytes = encodeMap(map);
    expect(readMapBody(new DataReader(bytes))).toEqual(map);
  });

  it('refuses an unknown type code and a count larger than the bytes allow', () => {
    expect(() => readMapBody(new DataReader(Buffer.from('00000001000178' + '63', 'hex')))).toThrow(/unknown primitive type 99 \(at byte 7\)/);
    expect(() => readMapBody(new DataReader(Buffer.from('7fffffff', 'hex')))).toThrow(/bad primitive map size/);
  });
});

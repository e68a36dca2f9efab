import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../util/errors.js';
import { DEFAULT_LIMITS, type StompFrame, type StompLimits, type StompVersion } from './frame.js';
import { FrameParser } from './parser.js';
import { encodeFrame, escapeHeader } from './writer.js';

function parseAll(input: Buffer | string, version: StompVersion = '1.2', limits: StompLimits = DEFAULT_LIMITS): StompFrame[] {
  const frames: StompFrame[] = [];
  const parser = new FrameParser(limits, (f) => frames.push(f));
  parser.version = version;
  parser.push(Buffer.from(input));
  return frames;
}

describe('FrameParser', () => {
  it('[STOMP-1.2 frames] parses command, headers and a NUL-terminated body', () => {
    const [frame] = parseAll('SEND\ndestination:/queue/a\nfoo:bar\n\nhello\0');
    expect(frame?.command).toBe('SEND');
    expect(frame?.headers.get('destination')).toBe('/queue/a');
    expect(frame?.headers.get('foo')).toBe('bar');
    expect(frame?.body.toString()).toBe('hello');
  });

  it('[STOMP-1.2 frames] tolerates CRLF line endings', () => {
    const [frame] = parseAll('SEND\r\ndestination:/queue/a\r\n\r\nx\0');
    expect(frame?.headers.get('destination')).toBe('/queue/a');
    expect(frame?.body.toString()).toBe('x');
  });

  it('[STOMP-1.2 heart-beating] skips EOLs between frames', () => {
    const frames = parseAll('\n\r\n\nSEND\ndestination:/q\n\n1\0\n\n\nSEND\ndestination:/q\n\n2\0\n');
    expect(frames.map((f) => f.body.toString())).toEqual(['1', '2']);
  });

  it('[STOMP-1.2 content-length] reads a body containing NUL bytes when content-length is given', () => {
    const body = Buffer.from([1, 0, 2, 0]);
    const input = Buffer.concat([Buffer.from('SEND\ndestination:/q\ncontent-length:4\n\n'), body, Buffer.from([0])]);
    const [frame] = parseAll(input);
    expect(frame?.body.equals(body)).toBe(true);
  });

  it('[STOMP-1.2 content-length] rejects a body not followed by NUL', () => {
    expect(() => parseAll('SEND\ndestination:/q\ncontent-length:1\n\nab\0')).toThrow(ProtocolError);
  });

  it('[STOMP-1.2 content-length] rejects a content-length that is not an integer', () => {
    expect(() => parseAll('SEND\ncontent-length:x\n\n\0')).toThrow(/not a valid integer/);
  });

  it('[STOMP-1.2 repeated header entries] keeps the first value of a repeated header', () => {
    const [frame] = parseAll('SEND\nfoo:1\nfoo:2\n\n\0');
    expect(frame?.headers.get('foo')).toBe('1');
  });

  it('[STOMP-1.2 value encoding] unescapes \\r \\n \\c \\\\ in 1.2', () => {
    const [frame] = parseAll('SEND\nk:a\\r\\n\\c\\\\b\n\n\0', '1.2');
    expect(frame?.headers.get('k')).toBe('a\r\n:\\b');
  });

  it('[STOMP-1.1 value encoding] leaves \\r undecoded in 1.1 and keeps undefined escapes (ActiveMQ)', () => {
    const [frame] = parseAll('SEND\nk:\\r\\t\\n\n\n\0', '1.1');
    expect(frame?.headers.get('k')).toBe('\\r\\t\n');
  });

  it('[STOMP-1.0] trims header values like ActiveMQ', () => {
    const [frame] = parseAll('SEND\ndestination: /queue/a \n\n\0', '1.0');
    expect(frame?.headers.get('destination')).toBe('/queue/a');
  });

  it('rejects a header line without a colon', () => {
    expect(() => parseAll('SEND\nnocolon\n\n\0')).toThrow(ProtocolError);
  });

  it('enforces the header count, header length, command length, data length and frame size limits', () => {
    const limits = { ...DEFAULT_LIMITS, maxHeaders: 2, maxHeaderLength: 20, maxCommandLength: 8, maxDataLength: 4, maxFrameSize: 40 };
    expect(() => parseAll('SEND\na:1\nb:2\nc:3\n\n\0', '1.2', limits)).toThrow(/number of headers/);
    expect(() => parseAll(`SEND\na:${'x'.repeat(30)}\n\n\0`, '1.2', limits)).toThrow(/header length/);
    expect(() => parseAll(`${'X'.repeat(20)}\n\n\0`, '1.2', limits)).toThrow(/command length/);
    expect(() => parseAll('SEND\n\n12345\0', '1.2', limits)).toThrow(/data length/);
    expect(() => parseAll('SEND\ncontent-length:5\n\n12345\0', '1.2', limits)).toThrow(/data length/);
    expect(() => parseAll(`SEND\na:${'x'.repeat(15)}\nb:${'x'.repeat(15)}\n\n1234\0`, '1.2', limits)).toThrow(/frame size/);
  });

  it('emits the same frames whatever the chunk boundaries', () => {
    const input = Buffer.from('SEND\r\ndestination:/q\ncontent-length:3\n\na\0b\0\nMESSAGE\nx:y\n\nbody\0');
    for (let size = 1; size <= input.length; size++) {
      const frames: StompFrame[] = [];
      const parser = new FrameParser(DEFAULT_LIMITS, (f) => frames.push(f));
      for (let i = 0; i < input.length; i += size) parser.push(input.subarray(i, i + size));
      expect(frames.map((f) => [f.command, f.body.toString()])).toEqual([
        ['SEND', 'a\0b'],
        ['MESSAGE', 'body'],
      ]);
    }
  });

  it('emits nothing after stop()', () => {
    const frames: StompFrame[] = [];
    const parser = new FrameParser(DEFAULT_LIMITS, (f) => {
      frames.push(f);
      parser.stop();
    });
    parser.push(Buffer.from('SEND\n\n1\0SEND\n\n2\0'));
    expect(frames).toHaveLength(1);
  });
});

const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const headerValue = fc.string({ maxLength: 20, unit: 'grapheme' });

describe('codec properties', () => {
  it('[STOMP-1.2 value encoding] writer then parser gives back every header and body (1.1 and 1.2)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<StompVersion>('1.1', '1.2'),
        fc.uniqueArray(fc.tuple(headerName, headerValue), { maxLength: 6, selector: (t) => t[0] }),
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 1, max: 17 }),
        (version, headers, bodyBytes, chunk) => {
          // 1.1 cannot escape CR, and a CR before the EOL is read as CRLF.
          fc.pre(version === '1.2' || headers.every(([, v]) => !v.endsWith('\r')));
          const body = Buffer.from(bodyBytes);
          const all: Array<[string, string]> = [...headers.filter(([n]) => n !== 'content-length'), ['content-length', String(body.length)]];
          const bytes = encodeFrame({ command: 'SEND', headers: all, body }, version);
          const frames: StompFrame[] = [];
          const parser = new FrameParser(DEFAULT_LIMITS, (f) => frames.push(f));
          parser.version = version;
          for (let i = 0; i < bytes.length; i += chunk) parser.push(bytes.subarray(i, i + chunk));
          expect(frames).toHaveLength(1);
          expect([...(frames[0] as StompFrame).headers]).toEqual(all);
          expect((frames[0] as StompFrame).body.equals(body)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a garbage stream never throws anything but a ProtocolError', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }), (chunks) => {
        const parser = new FrameParser({ ...DEFAULT_LIMITS, maxHeaderLength: 64, maxCommandLength: 16 }, () => {});
        for (const chunk of chunks) {
          try {
            parser.push(Buffer.from(chunk));
          } catch (err) {
            expect(err).toBeInstanceOf(ProtocolError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('[STOMP-1.0] writes header values unescaped in 1.0', () => {
    expect(escapeHeader('a:b\nc', '1.0')).toBe('a:b\nc');
    expect(escapeHeader('a:b\r', '1.1')).toBe('a\\cb\r');
    expect(escapeHeader('a:b\r', '1.2')).toBe('a\\cb\\r');
  });
});

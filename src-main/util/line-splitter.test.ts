import { describe, expect, it } from 'vitest';
import { createLineSplitter } from './line-splitter.js';

describe('createLineSplitter', () => {
  it('joins chunks split inside a line and skips blank lines', () => {
    const lines: string[] = [];
    const feed = createLineSplitter((l) => lines.push(l));
    feed('{"a":');
    feed('1}\n\n{"b"');
    feed(':2}\r\n');
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
  });
});

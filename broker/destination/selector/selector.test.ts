import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../util/errors.js';
import { CONVERT_STRING_EXPRESSIONS_PREFIX, compileSelector, type SelectorValue } from './selector.js';

function matches(selector: string, props: Record<string, SelectorValue>, convertStringExpressions = false): boolean {
  return compileSelector(convertStringExpressions ? CONVERT_STRING_EXPRESSIONS_PREFIX + selector : selector).matches((name) => props[name] ?? null);
}

describe('JMS selectors (ActiveMQ semantics)', () => {
  it('compares strings with = and <> and orders them lexically', () => {
    expect(matches("color = 'red'", { color: 'red' })).toBe(true);
    expect(matches("color <> 'red'", { color: 'blue' })).toBe(true);
    expect(matches("color > 'a'", { color: 'b' })).toBe(true);
    expect(matches("name = 'it''s'", { name: "it's" })).toBe(true);
  });

  it('treats a missing header as NULL: neither = nor <> matches, IS NULL does', () => {
    expect(matches("color = 'red'", {})).toBe(false);
    expect(matches("color <> 'red'", {})).toBe(false);
    expect(matches("NOT (color = 'red')", {})).toBe(false);
    expect(matches('color IS NULL', {})).toBe(true);
    expect(matches('color IS NOT NULL', { color: 'x' })).toBe(true);
  });

  it('uses three-valued AND/OR: unknown OR true is true, unknown AND false is false', () => {
    expect(matches("missing = 'x' OR a = 'y'", { a: 'y' })).toBe(true);
    expect(matches("NOT (missing = 'x' AND a = 'z')", { a: 'y' })).toBe(true);
    expect(matches("missing = 'x' AND a = 'y'", { a: 'y' })).toBe(false);
  });

  it('does not compare a string header with a number unless the selector starts with convert_string_expressions:', () => {
    expect(matches('price > 5', { price: '10' })).toBe(false);
    expect(matches('price = 10', { price: '10' })).toBe(false);
    expect(matches('price <> 10', { price: '10' })).toBe(true);
    expect(matches('price > 5', { price: '10' }, true)).toBe(true);
    expect(matches('price = 10', { price: '10' }, true)).toBe(true);
    expect(matches('flag = TRUE', { flag: 'true' }, true)).toBe(true);
  });

  it('converts a string as ActiveMQ does: by the Java parser of the other side\'s type', () => {
    // A whole-number literal is an Integer: Integer.valueOf takes no decimals and no spaces.
    expect(matches('price > 5', { price: '10.5' }, true)).toBe(false);
    expect(matches('price > 5', { price: ' 10 ' }, true)).toBe(false);
    expect(matches('price <> 5', { price: 'ten' }, true)).toBe(true);
    expect(matches('price > -1', { price: '+3' }, true)).toBe(true);
    // A decimal literal is a Double: Double.valueOf trims and takes exponents and a d/f suffix.
    expect(matches('price > 5.5', { price: ' 10.5 ' }, true)).toBe(true);
    expect(matches('price > 5.5', { price: '1e3' }, true)).toBe(true);
    expect(matches('price > 5.5', { price: '6f' }, true)).toBe(true);
    expect(matches('price > 5.5', { price: '0x10' }, true)).toBe(false);
    // The conversion works from either side, and on typed JMS headers.
    expect(matches("JMSPriority = '4'", { JMSPriority: 4 }, true)).toBe(true);
    // Boolean.valueOf never fails: anything but "true" is false.
    expect(matches('flag = FALSE', { flag: 'yes' }, true)).toBe(true);
    expect(matches('flag = TRUE', { flag: 'TRUE' }, true)).toBe(true);
  });

  it('evaluates arithmetic on numbers with Java long division', () => {
    expect(matches('JMSPriority * 2 + 1 = 9', { JMSPriority: 4 })).toBe(true);
    expect(matches('JMSPriority / 3 = 1', { JMSPriority: 4 })).toBe(true);
    expect(matches('-JMSPriority < 0', { JMSPriority: 4 })).toBe(true);
    expect(matches('1.5e1 = 15', {})).toBe(true);
    expect(matches('0x10 = 16', {})).toBe(true);
  });

  it('evaluates LIKE with % and _ and ESCAPE, and NOT LIKE', () => {
    expect(matches("name LIKE 'ab%'", { name: 'abc' })).toBe(true);
    expect(matches("name LIKE 'a_c'", { name: 'abc' })).toBe(true);
    expect(matches("name LIKE 'a_c'", { name: 'abbc' })).toBe(false);
    expect(matches("name LIKE '100\\%' ESCAPE '\\'", { name: '100%' })).toBe(true);
    expect(matches("name LIKE '100\\%' ESCAPE '\\'", { name: '1000' })).toBe(false);
    expect(matches("name NOT LIKE 'a.%'", { name: 'abc' })).toBe(true);
    expect(matches("name LIKE 'a%'", {})).toBe(false);
  });

  it('evaluates IN, NOT IN, BETWEEN and NOT BETWEEN', () => {
    expect(matches("c IN ('a', 'b')", { c: 'b' })).toBe(true);
    expect(matches("c NOT IN ('a', 'b')", { c: 'z' })).toBe(true);
    expect(matches("c NOT IN ('a', 'b')", {})).toBe(false);
    expect(matches('JMSPriority BETWEEN 3 AND 5', { JMSPriority: 4 })).toBe(true);
    expect(matches('JMSPriority NOT BETWEEN 3 AND 5', { JMSPriority: 9 })).toBe(true);
    expect(matches('p BETWEEN 3 AND 5', {})).toBe(false);
  });

  it('reads keywords case-insensitively and identifiers case-sensitively', () => {
    expect(matches("a = 'x' and not b is null", { a: 'x', b: 'y' })).toBe(true);
    expect(matches("A = 'x'", { a: 'x' })).toBe(false);
  });

  it('rejects malformed selectors with a ProtocolError naming the selector', () => {
    for (const bad of ['', "a = 'x", 'a =', 'a LIKE 5', "a IN ()", '(a = 1', 'a = 1 b', 'AND', "a NOT 'x'"]) {
      expect(() => compileSelector(bad), bad).toThrow(ProtocolError);
    }
  });

  it('never throws on arbitrary input other than a ProtocolError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          compileSelector(text).matches(() => 'v');
        } catch (err) {
          if (!(err instanceof ProtocolError)) throw err;
        }
      }),
      { numRuns: 300 },
    );
  });
});

import { parseSelector, type CompareOp, type SelectorExpr, type SelectorValue } from './selector-parser.js';

export type { SelectorValue } from './selector-parser.js';

/** How an identifier is looked up on one message; null when the message does not have it. */
export type PropertyLookup = (name: string) => SelectorValue;

/**
 * ActiveMQ's selector prefix (`SelectorParser`): a selector that starts with it compares a string
 * property with a number or boolean by converting the string. ActiveMQ's STOMP translator puts it
 * in front of every STOMP subscription's selector, since STOMP headers are strings: without it
 * `price > 5` never matches a `price:10` header. The prefix stays in the selector text, so a
 * durable subscription's stored selector (ACTIVEMQ_ACKS.SELECTOR) recovers with it, as ActiveMQ's does.
 */
export const CONVERT_STRING_EXPRESSIONS_PREFIX = 'convert_string_expressions:';

/** A compiled selector: matches only when the expression is TRUE (NULL/unknown does not match). */
export interface Selector {
  readonly text: string;
  matches(lookup: PropertyLookup): boolean;
}

export function compileSelector(text: string): Selector {
  const convert = text.startsWith(CONVERT_STRING_EXPRESSIONS_PREFIX);
  const expr = parseSelector(convert ? text.slice(CONVERT_STRING_EXPRESSIONS_PREFIX.length) : text);
  return { text, matches: (lookup) => evaluate(expr, lookup, convert) === true };
}

function evaluate(e: SelectorExpr, lookup: PropertyLookup, convert: boolean): SelectorValue {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'identifier':
      return lookup(e.name);
    case 'not': {
      const v = evaluate(e.operand, lookup, convert);
      return typeof v === 'boolean' ? !v : null;
    }
    case 'and': {
      const l = evaluate(e.left, lookup, convert);
      if (l === false) return false;
      const r = evaluate(e.right, lookup, convert);
      if (r === false) return false;
      return l === true && r === true ? true : null;
    }
    case 'or': {
      const l = evaluate(e.left, lookup, convert);
      if (l === true) return true;
      const r = evaluate(e.right, lookup, convert);
      if (r === true) return true;
      return l === false && r === false ? false : null;
    }
    case 'compare':
      return compare(e.op, evaluate(e.left, lookup, convert), evaluate(e.right, lookup, convert), convert);
    case 'arithmetic': {
      const l = evaluate(e.left, lookup, convert);
      const r = evaluate(e.right, lookup, convert);
      if (typeof l !== 'number' || typeof r !== 'number') return null;
      if (e.op === '+') return l + r;
      if (e.op === '-') return l - r;
      if (e.op === '*') return l * r;
      if (r === 0) return null;
      // Java long division when both sides are whole numbers, as in ActiveMQ's ArithmeticExpression.
      return Number.isInteger(l) && Number.isInteger(r) ? Math.trunc(l / r) : l / r;
    }
    case 'negate': {
      const v = evaluate(e.operand, lookup, convert);
      return typeof v === 'number' ? -v : null;
    }
    case 'like': {
      const v = evaluate(e.operand, lookup, convert);
      if (v === null) return null;
      const matched = typeof v === 'string' && e.pattern.test(v);
      return e.negated ? !matched : matched;
    }
    case 'in': {
      const v = evaluate(e.operand, lookup, convert);
      if (v === null) return null;
      const matched = typeof v === 'string' && e.values.includes(v);
      return e.negated ? !matched : matched;
    }
    case 'between': {
      const v = evaluate(e.operand, lookup, convert);
      const low = compare('>=', v, evaluate(e.low, lookup, convert), convert);
      const high = compare('<=', v, evaluate(e.high, lookup, convert), convert);
      const inside = low === false || high === false ? false : low === true && high === true ? true : null;
      return inside === null ? null : e.negated ? !inside : inside;
    }
    case 'is-null': {
      const isNull = evaluate(e.operand, lookup, convert) === null;
      return e.negated ? !isNull : isNull;
    }
  }
}

/**
 * ActiveMQ's ComparisonExpression: NULL on either side is unknown; values of different types are
 * not equal and not ordered (FALSE, not unknown) unless string conversion is on; strings order
 * lexically (ActiveMQ allows it, JMS does not require it).
 */
function compare(op: CompareOp, l: SelectorValue, r: SelectorValue, convert: boolean): SelectorValue {
  if (l === null || r === null) return null;
  if (typeof l !== typeof r) {
    if (!convert) return op === '<>';
    const converted = typeof l === 'string' ? [coerce(l, r), r] : typeof r === 'string' ? [l, coerce(r, l)] : [null, null];
    if (converted[0] === null || converted[1] === null) return op === '<>';
    [l, r] = converted as [SelectorValue, SelectorValue];
  }
  const a = l as string | number | boolean;
  const b = r as string | number | boolean;
  switch (op) {
    case '=':
      return a === b;
    case '<>':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Java's `Integer.valueOf`/`Long.valueOf`: digits with an optional sign, nothing else (no spaces). */
const JAVA_INTEGER = /^[+-]?\d+$/;
/** Java's `Double.valueOf`: surrounding whitespace allowed, an optional `d`/`f` suffix. */
const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;

/**
 * A string converted to the type of `like`, as ActiveMQ's ComparisonExpression does it: by the Java
 * parser of the other side's type (a whole-number literal is an Integer/Long, so `'3.5'` and `' 4 '`
 * do not convert; a decimal one a Double). null when it does not convert (NumberFormatException).
 * Java's `Boolean.valueOf` never fails: anything but "true" (any case) is false.
 */
function coerce(text: string, like: SelectorValue): SelectorValue {
  if (typeof like === 'boolean') return text.toLowerCase() === 'true';
  if (typeof like !== 'number') return null;
  if (Number.isInteger(like)) return JAVA_INTEGER.test(text) ? Number(text) : null;
  const trimmed = text.trim();
  if (!JAVA_DOUBLE.test(trimmed)) return null;
  return Number(trimmed.replace(/[fFdD]$/, ''));
}

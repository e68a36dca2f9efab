import { parseSelector, type CompareOp, type SelectorExpr, type SelectorValue } from './selector-parser.js';

export type { SelectorValue } from './selector-parser.js';

/** How an identifier is looked up on one message; null when the message does not have it. */
export type PropertyLookup = (name: string) => SelectorValue;

export interface SelectorOptions {
  /**
   * ActiveMQ's `org.apache.activemq.filter.ComparisonExpression.CONVERT_STRING_EXPRESSIONS`
   * (default false): compare a string property with a number or boolean by converting it. STOMP
   * headers are strings, so without it `price > 5` never matches a `price:10` header.
   */
  convertStringExpressions?: boolean;
}

/** A compiled selector: matches only when the expression is TRUE (NULL/unknown does not match). */
export interface Selector {
  readonly text: string;
  matches(lookup: PropertyLookup): boolean;
}

export function compileSelector(text: string, options: SelectorOptions = {}): Selector {
  const expr = parseSelector(text);
  const convert = options.convertStringExpressions ?? false;
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

/** A string converted to the type of `like` (number or boolean); null when it does not convert. */
function coerce(text: string, like: SelectorValue): SelectorValue {
  if (typeof like === 'number') {
    const n = Number(text.trim());
    return text.trim() === '' || Number.isNaN(n) ? null : n;
  }
  if (typeof like === 'boolean') return text.toLowerCase() === 'true' ? true : text.toLowerCase() === 'false' ? false : null;
  return null;
}

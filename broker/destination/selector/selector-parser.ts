import { ProtocolError } from '../../util/errors.js';

/** A JMS selector value: SQL's NULL is `null` (unknown). */
export type SelectorValue = string | number | boolean | null;

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type SelectorExpr =
  | { kind: 'literal'; value: SelectorValue }
  | { kind: 'identifier'; name: string }
  | { kind: 'not'; operand: SelectorExpr }
  | { kind: 'and' | 'or'; left: SelectorExpr; right: SelectorExpr }
  | { kind: 'compare'; op: CompareOp; left: SelectorExpr; right: SelectorExpr }
  | { kind: 'arithmetic'; op: '+' | '-' | '*' | '/'; left: SelectorExpr; right: SelectorExpr }
  | { kind: 'negate'; operand: SelectorExpr }
  | { kind: 'like'; operand: SelectorExpr; pattern: RegExp; negated: boolean }
  | { kind: 'in'; operand: SelectorExpr; values: string[]; negated: boolean }
  | { kind: 'between'; operand: SelectorExpr; low: SelectorExpr; high: SelectorExpr; negated: boolean }
  | { kind: 'is-null'; operand: SelectorExpr; negated: boolean };

type Token =
  | { type: 'string'; value: string; at: number }
  | { type: 'number'; value: number; at: number }
  | { type: 'word'; value: string; upper: string; at: number }
  | { type: 'op'; value: string; at: number }
  | { type: 'end'; at: number };

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'LIKE', 'ESCAPE', 'IN', 'BETWEEN', 'IS', 'NULL', 'TRUE', 'FALSE']);
const NUMBER = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[lLfFdD]?/;
const WORD = /^[A-Za-z_$][A-Za-z0-9_$.]*/;
const OPERATOR = /^(?:<>|<=|>=|[=<>+\-*/(),])/;

function invalid(selector: string, message: string): ProtocolError {
  return new ProtocolError(`Invalid selector: ${message} in [${selector}]`);
}

function tokenize(selector: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < selector.length) {
    const rest = selector.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest[0] === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= selector.length) throw invalid(selector, `unterminated string at ${i}`);
        if (selector[j] === "'") {
          if (selector[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += selector[j];
        j++;
      }
      tokens.push({ type: 'string', value, at: i });
      i = j + 1;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      const text = number[0].replace(/[lLfFdD]$/, '');
      tokens.push({ type: 'number', value: /^0[xX]/.test(text) ? parseInt(text, 16) : Number(text), at: i });
      i += number[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      tokens.push({ type: 'word', value: word[0], upper: word[0].toUpperCase(), at: i });
      i += word[0].length;
      continue;
    }
    const op = OPERATOR.exec(rest);
    if (!op) throw invalid(selector, `unexpected '${rest[0] ?? ''}' at ${i}`);
    tokens.push({ type: 'op', value: op[0], at: i });
    i += op[0].length;
  }
  tokens.push({ type: 'end', at: i });
  return tokens;
}

/**
 * Parses a JMS message selector (the SQL-92 subset of JMS 1.1 §3.8 as ActiveMQ's SelectorParser
 * reads it): comparisons, arithmetic, AND/OR/NOT, [NOT] LIKE ... [ESCAPE], [NOT] IN, [NOT] BETWEEN,
 * IS [NOT] NULL, string/number/boolean literals. A bad selector is a ProtocolError.
 */
export function parseSelector(selector: string): SelectorExpr {
  const tokens = tokenize(selector);
  let pos = 0;
  const peek = (): Token => tokens[pos] as Token;
  const isWord = (upper: string): boolean => {
    const t = peek();
    return t.type === 'word' && t.upper === upper;
  };
  const isOp = (value: string): boolean => {
    const t = peek();
    return t.type === 'op' && t.value === value;
  };
  const expectWord = (upper: string): void => {
    if (!isWord(upper)) throw invalid(selector, `expected ${upper} at ${peek().at}`);
    pos++;
  };
  const expectOp = (value: string): void => {
    if (!isOp(value)) throw invalid(selector, `expected '${value}' at ${peek().at}`);
    pos++;
  };
  const stringLiteral = (): string => {
    const t = peek();
    if (t.type !== 'string') throw invalid(selector, `expected a string literal at ${t.at}`);
    pos++;
    return t.value;
  };

  const orExpr = (): SelectorExpr => {
    let left = andExpr();
    while (isWord('OR')) {
      pos++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };
  const andExpr = (): SelectorExpr => {
    let left = notExpr();
    while (isWord('AND')) {
      pos++;
      left = { kind: 'and', left, right: notExpr() };
    }
    return left;
  };
  const notExpr = (): SelectorExpr => {
    if (isWord('NOT')) {
      pos++;
      return { kind: 'not', operand: notExpr() };
    }
    return predicate();
  };
  const predicate = (): SelectorExpr => {
    const left = additive();
    const t = peek();
    if (t.type === 'op' && ['=', '<>', '<', '<=', '>', '>='].includes(t.value)) {
      pos++;
      return { kind: 'compare', op: t.value as CompareOp, left, right: additive() };
    }
    if (isWord('IS')) {
      pos++;
      const negated = isWord('NOT');
      if (negated) pos++;
      expectWord('NULL');
      return { kind: 'is-null', operand: left, negated };
    }
    const negated = isWord('NOT');
    if (negated) pos++;
    if (isWord('LIKE')) {
      pos++;
      const pattern = stringLiteral();
      let escape: string | null = null;
      if (isWord('ESCAPE')) {
        pos++;
        escape = stringLiteral();
        if (escape.length !== 1) throw invalid(selector, 'ESCAPE must be one character');
      }
      return { kind: 'like', operand: left, pattern: likePattern(pattern, escape), negated };
    }
    if (isWord('IN')) {
      pos++;
      expectOp('(');
      const values = [stringLiteral()];
      while (isOp(',')) {
        pos++;
        values.push(stringLiteral());
      }
      expectOp(')');
      return { kind: 'in', operand: left, values, negated };
    }
    if (isWord('BETWEEN')) {
      pos++;
      const low = additive();
      expectWord('AND');
      return { kind: 'between', operand: left, low, high: additive(), negated };
    }
    if (negated) throw invalid(selector, `expected LIKE, IN or BETWEEN after NOT at ${peek().at}`);
    return left;
  };
  const additive = (): SelectorExpr => {
    let left = multiplicative();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[pos++] as { value: '+' | '-' }).value;
      left = { kind: 'arithmetic', op, left, right: multiplicative() };
    }
    return left;
  };
  const multiplicative = (): SelectorExpr => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (tokens[pos++] as { value: '*' | '/' }).value;
      left = { kind: 'arithmetic', op, left, right: unary() };
    }
    return left;
  };
  const unary = (): SelectorExpr => {
    if (isOp('-')) {
      pos++;
      return { kind: 'negate', operand: unary() };
    }
    if (isOp('+')) pos++;
    return primary();
  };
  const primary = (): SelectorExpr => {
    const t = peek();
    pos++;
    if (t.type === 'string' || t.type === 'number') return { kind: 'literal', value: t.value };
    if (t.type === 'op' && t.value === '(') {
      const inner = orExpr();
      expectOp(')');
      return inner;
    }
    if (t.type === 'word') {
      if (t.upper === 'TRUE' || t.upper === 'FALSE') return { kind: 'literal', value: t.upper === 'TRUE' };
      if (t.upper === 'NULL') return { kind: 'literal', value: null };
      if (!KEYWORDS.has(t.upper)) return { kind: 'identifier', name: t.value };
    }
    throw invalid(selector, `unexpected ${t.type === 'end' ? 'end' : `'${'value' in t ? String(t.value) : ''}'`} at ${t.at}`);
  };

  if (peek().type === 'end') throw invalid(selector, 'empty selector');
  const expr = orExpr();
  if (peek().type !== 'end') throw invalid(selector, `unexpected text at ${peek().at}`);
  return expr;
}

/** LIKE: `%` any run, `_` one character, the ESCAPE character makes the next one literal. */
function likePattern(pattern: string, escape: string | null): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (escape !== null && ch === escape && i + 1 < pattern.length) {
      source += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

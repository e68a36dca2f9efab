/**
 * `${name}` and `${name:default}` as Spring's PropertyPlaceholderConfigurer resolves them: nested
 * placeholders in names, defaults after the first `:`, and placeholders inside resolved values.
 */

export type PlaceholderLookup = (name: string) => string | undefined;

export interface Resolved {
  value: string;
  /** Names that no source and no default could resolve; their `${...}` text stays in `value`. */
  unresolved: string[];
  /** Names whose value refers back to themselves. */
  circular: string[];
}

export function resolvePlaceholders(text: string, lookup: PlaceholderLookup): Resolved {
  const unresolved: string[] = [];
  const circular: string[] = [];
  const value = resolveIn(text, lookup, new Set(), unresolved, circular);
  return { value, unresolved: [...new Set(unresolved)], circular: [...new Set(circular)] };
}

export function hasPlaceholder(text: string): boolean {
  return text.includes('${');
}

function resolveIn(
  text: string,
  lookup: PlaceholderLookup,
  visiting: Set<string>,
  unresolved: string[],
  circular: string[],
): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) break;
    const end = matchingBrace(text, start + 2);
    if (end < 0) break;
    out += text.slice(i, start);
    const inner = resolveIn(text.slice(start + 2, end), lookup, visiting, unresolved, circular);
    const separator = inner.indexOf(':');
    const name = separator >= 0 ? inner.slice(0, separator) : inner;
    const fallback = separator >= 0 ? inner.slice(separator + 1) : undefined;
    if (visiting.has(name)) {
      circular.push(name);
      out += text.slice(start, end + 1);
    } else {
      const found = lookup(name) ?? fallback;
      if (found === undefined) {
        unresolved.push(name);
        out += text.slice(start, end + 1);
      } else {
        visiting.add(name);
        out += resolveIn(found, lookup, visiting, unresolved, circular);
        visiting.delete(name);
      }
    }
    i = end + 1;
  }
  return out + text.slice(i);
}

function matchingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text.startsWith('${', i)) {
      depth++;
      i++;
    } else if (text[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

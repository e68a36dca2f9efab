/** Parses `-D key=value` pairs like Java system properties; returns an error text for a bad one. */
export function parseProperties(pairs: readonly string[]): Record<string, string> | string {
  const properties: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return `-D expects key=value, got "${pair}"`;
    properties[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return properties;
}

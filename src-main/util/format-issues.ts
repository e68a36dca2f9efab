/** A schema's complaint about one place in a value (zod's issues have this shape). */
export interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `path: message; ...`: where in the value each problem is; `whole` names the value itself. */
export function formatIssues(issues: readonly Issue[], whole = 'payload'): string {
  return issues.map((i) => `${i.path.map(String).join('.') || whole}: ${i.message}`).join('; ');
}

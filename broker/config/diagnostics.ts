import type { Diagnostic, Severity, SourcePosition } from './broker-config.js';
import type { XmlAttribute, XmlElement } from './xml-tree.js';

/** Collects positioned diagnostics while the tree is interpreted. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  add(severity: Severity, code: string, at: XmlElement | Located, message: string, attr?: XmlAttribute): void {
    const position: SourcePosition = attr?.position ?? at.position;
    this.items.push({ severity, code, message, line: position.line, column: position.column, path: at.path });
  }

  error(code: string, at: XmlElement | Located, message: string, attr?: XmlAttribute): void {
    this.add('error', code, at, message, attr);
  }

  warning(code: string, at: XmlElement | Located, message: string, attr?: XmlAttribute): void {
    this.add('warning', code, at, message, attr);
  }

  info(code: string, at: XmlElement | Located, message: string, attr?: XmlAttribute): void {
    this.add('info', code, at, message, attr);
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/** Anything with a position and an element path (an element, or a document-level spot). */
export interface Located {
  position: SourcePosition;
  path: string;
}

export const DOCUMENT_START: Located = { position: { line: 1, column: 1 }, path: '' };

/** `file:line:col severity message [code]`, the format of `failover-lab config check`. */
export function formatDiagnostic(d: Diagnostic, file: string): string {
  return `${file}:${d.line}:${d.column} ${d.severity} ${d.message} [${d.code}]`;
}

/** Document order, then errors before warnings before infos at the same spot. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return [...diagnostics].sort(
    (a, b) => a.line - b.line || a.column - b.column || rank[a.severity] - rank[b.severity],
  );
}

import { autocompletion } from '@codemirror/autocomplete';
import { syntaxTree } from '@codemirror/language';
import { xml } from '@codemirror/lang-xml';
import type { Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { linter, lintGutter } from '@codemirror/lint';
import type { EditorState, Extension, Text } from '@codemirror/state';
import { hoverTooltip } from '@codemirror/view';
import type { EditorView } from '@codemirror/view';
import type { ConfigValidation } from '../../../src-main/api/contract/index.js';
import { toCodeMirrorElements } from '../config-schema/codemirror-schema.js';
import { describeAttribute, elementSpec } from '../config-schema/schema.js';

/** The document offset of a loader position (1-based line and column), clamped into the document. */
export function offsetOf(doc: Text, line: number, column: number): number {
  const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return Math.min(l.from + Math.max(column - 1, 0), l.to);
}

/** The loader's diagnostics as CodeMirror's: from the exact position to the end of the token there. */
export function toEditorDiagnostics(doc: Text, validation: ConfigValidation): CmDiagnostic[] {
  return validation.diagnostics.map((d) => {
    const from = offsetOf(doc, d.line, d.column);
    const line = doc.lineAt(from);
    const rest = line.text.slice(from - line.from);
    const token = /^[^\s>"'=]+/.exec(rest)?.[0].length ?? 0;
    const to = Math.min(from + Math.max(token, 1), line.to);
    return { from, to: Math.max(to, from), severity: d.severity, message: `${d.message} [${d.code}]`, source: d.path };
  });
}

/** What the hover shows at `pos`: an element's doc, or an attribute's doc with its default. */
export function hoverText(state: EditorState, pos: number): string | null {
  const node = syntaxTree(state).resolveInner(pos, -1);
  const text = (n: { from: number; to: number }) => state.sliceDoc(n.from, n.to);
  if (node.name === 'TagName') {
    const spec = elementSpec(text(node));
    return spec ? `<${spec.name}>: ${spec.doc}` : null;
  }
  if (node.name === 'AttributeName' || node.name === 'AttributeValue') {
    const attribute = node.name === 'AttributeName' ? node : node.parent?.getChild('AttributeName');
    const tag = node.parent?.parent?.getChild('TagName');
    if (!attribute || !tag) return null;
    return describeAttribute(text(tag), text(attribute));
  }
  return null;
}

export interface XmlEditorOptions {
  /** The loader, through LabApi's `config/validate`. */
  validate(xml: string): Promise<ConfigValidation | null>;
  delayMs?: number;
}

/** XML language with our schema's completion, live diagnostics from the loader, and hover docs. */
export function xmlEditorExtensions(options: XmlEditorOptions): Extension[] {
  return [
    xml({ elements: toCodeMirrorElements() }),
    autocompletion(),
    lintGutter(),
    linter(
      async (view: EditorView) => {
        const text = view.state.doc.toString();
        const result = await options.validate(text);
        // A newer edit will lint again; positions of this answer belong to the older text.
        if (!result || view.state.doc.toString() !== text) return [];
        return toEditorDiagnostics(view.state.doc, result);
      },
      { delay: options.delayMs ?? 300 },
    ),
    hoverTooltip((view, pos) => {
      const text = hoverText(view.state, pos);
      if (!text) return null;
      return {
        pos,
        above: true,
        create: () => {
          const dom = document.createElement('div');
          dom.className = 'cm-config-doc';
          dom.textContent = text;
          return { dom };
        },
      };
    }),
  ];
}

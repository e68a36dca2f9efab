import { xml } from '@codemirror/lang-xml';
import { ensureSyntaxTree } from '@codemirror/language';
import { EditorState, Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { toCodeMirrorElements } from '../config-schema/codemirror-schema.js';
import { hoverText, offsetOf, toEditorDiagnostics } from './xml-editor.js';

const DOC = '<beans>\n  <broker>\n    <transportConnector name="t" uri="ssl://127.0.0.1:1"/>\n  </broker>\n</beans>';

describe('the XML editor glue', () => {
  it('maps the loader\'s 1-based line and column to the exact document offset', () => {
    const doc = Text.of(DOC.split('\n'));
    expect(DOC.slice(offsetOf(doc, 3, 34), offsetOf(doc, 3, 37))).toBe('uri');
  });

  it('marks a diagnostic from its position to the end of the token there', () => {
    const doc = Text.of(DOC.split('\n'));
    const [d] = toEditorDiagnostics(doc, { ok: false, cluster: [], diagnostics: [{ severity: 'error', message: 'ssl:// needs TLS', line: 3, column: 34, path: 'beans/broker', code: 'connector-tls-unsupported' }] });
    expect(DOC.slice(d!.from, d!.to)).toBe('uri');
    expect(d!.message).toBe('ssl:// needs TLS [connector-tls-unsupported]');
  });

  it('hovers an attribute with its doc and ActiveMQ default', () => {
    const text = '<beans><broker><persistenceAdapter><jdbcPersistenceAdapter lockKeepAlivePeriod="5"/></persistenceAdapter></broker></beans>';
    const state = EditorState.create({ doc: text, extensions: [xml({ elements: toCodeMirrorElements() })] });
    // The budget only guards against a hang: a busy machine can need more than a second to parse.
    ensureSyntaxTree(state, state.doc.length, 30_000);
    const hover = hoverText(state, text.indexOf('lockKeepAlivePeriod') + 3);
    expect(hover).toContain('default 30000');
    expect(hoverText(state, text.indexOf('jdbcPersistenceAdapter') + 2)).toContain('JDBC Master/Slave');
  });
});

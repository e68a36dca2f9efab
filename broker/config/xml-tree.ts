import { loadSaxes } from '../util/cjs.js';
import type { SaxesTagNS } from 'saxes';
import type { Diagnostic, SourcePosition } from './broker-config.js';

/**
 * A small positioned element tree built with saxes, which reports every well-formedness error with
 * its line:column and keeps going (docs/config.md, Document). Interpretation happens elsewhere.
 */

export interface XmlAttribute {
  /** Qualified name as written, e.g. `xsi:schemaLocation`. */
  name: string;
  local: string;
  uri: string;
  value: string;
  /** Where the attribute's name starts (1-based line and column). */
  position: SourcePosition;
}

export interface XmlElement {
  /** Local name (namespace prefix removed), e.g. `broker` for `<amq:broker>`. */
  name: string;
  qname: string;
  /** Namespace URI, '' when none. */
  uri: string;
  attributes: readonly XmlAttribute[];
  children: readonly XmlElement[];
  /** Concatenated character data and CDATA directly inside this element. */
  text: string;
  /** Where `<` of the start tag is (1-based line and column). */
  position: SourcePosition;
  /** Local names from the root, e.g. `beans/broker/transportConnectors`. */
  path: string;
}

export interface ParsedXml {
  root: XmlElement | null;
  /** Well-formedness and namespace errors, all of them, code `xml-not-well-formed`. */
  diagnostics: Diagnostic[];
}

interface MutableElement extends XmlElement {
  attributes: XmlAttribute[];
  children: MutableElement[];
  text: string;
}

export function parseXmlTree(xml: string): ParsedXml {
  const lineStarts = computeLineStarts(xml);
  const diagnostics: Diagnostic[] = [];
  const stack: MutableElement[] = [];
  let root: MutableElement | null = null;
  let tagStartOffset = 0;

  const parser = new (loadSaxes().SaxesParser)({ xmlns: true, position: true });
  const byPosition = new Map<string, Diagnostic>();
  parser.on('error', (err) => {
    // saxes prefixes the message with "line:column: "; we carry the position separately. It may
    // report one fault twice at one spot ("unexpected close tag", then "unmatched closing tag: x"):
    // the later message is the more precise one.
    const message = err.message.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
    const key = `${parser.line}:${parser.column}`;
    const earlier = byPosition.get(key);
    if (earlier) {
      earlier.message = `XML is not well-formed: ${message}`;
      return;
    }
    const diagnostic: Diagnostic = {
      severity: 'error',
      message: `XML is not well-formed: ${message}`,
      line: parser.line,
      column: Math.max(1, parser.column),
      path: stack.map((e) => e.name).join('/'),
      code: 'xml-not-well-formed',
    };
    byPosition.set(key, diagnostic);
    diagnostics.push(diagnostic);
  });
  parser.on('opentagstart', (tag) => {
    const at = Math.min(parser.position, xml.length);
    const found = xml.lastIndexOf(`<${tag.name}`, at);
    tagStartOffset = found >= 0 ? found : at;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const parent = stack[stack.length - 1];
    const tagText = xml.slice(tagStartOffset, Math.min(parser.position, xml.length));
    const element: MutableElement = {
      name: tag.local,
      qname: tag.name,
      uri: tag.uri,
      attributes: Object.values(tag.attributes).map((a) => ({
        name: a.name,
        local: a.local,
        uri: a.uri,
        value: a.value,
        position: offsetToPosition(lineStarts, tagStartOffset + attributeOffset(tagText, a.name)),
      })),
      children: [],
      text: '',
      position: offsetToPosition(lineStarts, tagStartOffset),
      path: parent ? `${parent.path}/${tag.local}` : tag.local,
    };
    if (parent) parent.children.push(element);
    else if (root === null) root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (text: string): void => {
    const current = stack[stack.length - 1];
    if (current) current.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  parser.write(xml);
  parser.close();
  if (root === null && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push({
      severity: 'error',
      message: 'the document has no root element',
      line: 1,
      column: 1,
      path: '',
      code: 'xml-not-well-formed',
    });
  }
  return { root, diagnostics };
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

function offsetToPosition(lineStarts: readonly number[], offset: number): SourcePosition {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
}

/** Offset of `name=` inside the start tag's text; 0 (the `<`) when it cannot be found. */
function attributeOffset(tagText: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`\\s(${escaped})\\s*=`).exec(tagText);
  return match ? match.index + 1 : 0;
}

/** The attribute with this local name and no namespace (xbean attributes are unqualified). */
export function attribute(element: XmlElement, name: string): XmlAttribute | undefined {
  return element.attributes.find((a) => a.name === name);
}

export function childElements(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

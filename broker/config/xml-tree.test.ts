import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseXmlTree } from './xml-tree.js';

describe('parseXmlTree', () => {
  it('gives every element its start-tag position, namespace and path', () => {
    const xml = '<beans>\n  <amq:broker xmlns:amq="http://activemq.apache.org/schema/core" brokerName="b1">\n    <transportConnectors/>\n  </amq:broker>\n</beans>';
    const { root, diagnostics } = parseXmlTree(xml);
    expect(diagnostics).toEqual([]);
    const broker = root?.children[0];
    expect(broker).toMatchObject({ name: 'broker', qname: 'amq:broker', uri: 'http://activemq.apache.org/schema/core', position: { line: 2, column: 3 }, path: 'beans/broker' });
    expect(broker?.children[0]).toMatchObject({ name: 'transportConnectors', position: { line: 3, column: 5 }, path: 'beans/broker/transportConnectors' });
  });

  it('points attribute positions at the attribute name, also on continuation lines', () => {
    const xml = '<broker\n    brokerName="b1"   dataDirectory="d"/>';
    const { root } = parseXmlTree(xml);
    expect(root?.attributes.map((a) => [a.name, a.position.line, a.position.column])).toEqual([
      ['brokerName', 2, 5],
      ['dataDirectory', 2, 23],
    ]);
  });

  it('keeps sibling self-closing elements as siblings', () => {
    const { root } = parseXmlTree('<a><b/><c/><d><e/></d></a>');
    expect(root?.children.map((c) => c.name)).toEqual(['b', 'c', 'd']);
    expect(root?.children[2]?.children.map((c) => c.path)).toEqual(['a/d/e']);
  });

  it('collects text and CDATA of an element', () => {
    const { root } = parseXmlTree('<value>file:<![CDATA[/x/y]]>.properties</value>');
    expect(root?.text).toBe('file:/x/y.properties');
  });

  it('reports every well-formedness error with its exact line and column and keeps going', () => {
    const xml = readFileSync(new URL('../../test/fixtures/config/broken.xml', import.meta.url), 'utf8');
    const { diagnostics } = parseXmlTree(xml);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '2:89 XML is not well-formed: duplicate attribute: brokerName',
      '5:25 XML is not well-formed: unmatched closing tag: transportConnector',
      '6:11 XML is not well-formed: unmatched closing tag: broker',
      '7:12 XML is not well-formed: unquoted attribute value',
      '8:8 XML is not well-formed: unmatched closing tag: beans',
    ]);
    expect(diagnostics.every((d) => d.severity === 'error' && d.code === 'xml-not-well-formed')).toBe(true);
  });

  it('reports an empty document as an error at 1:1 instead of throwing', () => {
    const { root, diagnostics } = parseXmlTree('');
    expect(root).toBeNull();
    expect(diagnostics[0]).toMatchObject({ severity: 'error', line: 1, column: 1 });
  });

  it('reports an unbound namespace prefix', () => {
    const { diagnostics } = parseXmlTree('<beans><amq:broker/></beans>');
    expect(diagnostics.map((d) => d.message)).toContain('XML is not well-formed: unbound namespace prefix: "amq"');
  });
});

import type { DiagnosticSink } from './diagnostics.js';
import type { XmlElement } from './xml-tree.js';

/**
 * ActiveMQ attributes the lab accepts but does not act on: tuning knobs (cleanupPeriod, useJmx,
 * queryTimeout, ...). They change nothing the lab measures, so they are infos, not warnings.
 */
export function reportIgnoredAttributes(element: XmlElement, honoured: ReadonlySet<string>, sink: DiagnosticSink): void {
  for (const a of element.attributes) {
    if (honoured.has(a.name) || a.name === 'xmlns' || a.name.startsWith('xmlns:') || a.uri !== '') continue;
    sink.info('attribute-ignored', element, `${a.name}="${a.value}" on <${element.name}> is not used by the lab; ignored`, a);
  }
}

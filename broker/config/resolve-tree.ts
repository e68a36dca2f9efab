import type { DiagnosticSink } from './diagnostics.js';
import { hasPlaceholder, resolvePlaceholders } from './placeholders.js';
import type { PlaceholderSetup } from './property-sources.js';
import type { XmlElement } from './xml-tree.js';

/**
 * A copy of the tree with every `${...}` in attribute values and text resolved, as Spring does for
 * every bean definition before anything starts: an unresolved placeholder anywhere stops ActiveMQ,
 * so it is an error here too (a warning when `ignoreUnresolvablePlaceholders` is set).
 */
export function resolveTree(element: XmlElement, setup: PlaceholderSetup, sink: DiagnosticSink): XmlElement {
  if (setup.configurers.has(element)) return element;
  const report = setup.ignoreUnresolvable ? sink.warning.bind(sink) : sink.error.bind(sink);
  const attributes = element.attributes.map((a) => {
    if (!hasPlaceholder(a.value)) return a;
    const resolved = resolvePlaceholders(a.value, setup.lookup);
    for (const name of resolved.unresolved) {
      report('unresolved-placeholder', element, `cannot resolve placeholder \${${name}} in attribute ${a.name}="${a.value}" (no -D ${name}=..., no properties file entry, no default)`, a);
    }
    for (const name of resolved.circular) {
      report('circular-placeholder', element, `placeholder \${${name}} in attribute ${a.name} refers to itself`, a);
    }
    return { ...a, value: resolved.value };
  });
  let text = element.text;
  if (hasPlaceholder(text)) {
    const resolved = resolvePlaceholders(text, setup.lookup);
    for (const name of resolved.unresolved) {
      report('unresolved-placeholder', element, `cannot resolve placeholder \${${name}} in <${element.name}> text (no -D ${name}=..., no properties file entry, no default)`);
    }
    for (const name of resolved.circular) {
      report('circular-placeholder', element, `placeholder \${${name}} in <${element.name}> text refers to itself`);
    }
    text = resolved.value;
  }
  return { ...element, attributes, text, children: element.children.map((c) => resolveTree(c, setup, sink)) };
}

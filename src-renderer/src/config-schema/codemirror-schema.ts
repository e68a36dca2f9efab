import type { ElementSpec as CmElementSpec } from '@codemirror/lang-xml';
import { CONFIG_ELEMENTS } from './schema.js';

/** The config schema in @codemirror/lang-xml's shape: completion of elements, attributes, values. */
export function toCodeMirrorElements(): CmElementSpec[] {
  return CONFIG_ELEMENTS.map((e) => ({
    name: e.name,
    top: e.parents.length === 0 || e.name === 'broker',
    children: CONFIG_ELEMENTS.filter((c) => c.parents.includes(e.name)).map((c) => c.name),
    completion: { info: e.doc, type: 'type' },
    attributes: e.attributes.map((a) => ({
      name: a.name,
      ...(a.values ? { values: [...a.values] } : {}),
      completion: { info: `${a.doc}${a.default !== undefined ? `\nDefault: ${a.default}` : ''}`, detail: a.default !== undefined ? `= ${a.default}` : '' },
    })),
  }));
}

import type { DiagnosticSink } from './diagnostics.js';
import { attribute } from './xml-tree.js';
import type { XmlElement } from './xml-tree.js';

/**
 * Typed attribute readers. Values convert as Spring converts them (CustomBooleanEditor: true/false,
 * yes/no, on/off, 1/0); a value that does not convert is an error at the attribute, and the
 * default is used so interpretation can go on and report everything at once.
 */

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

export function readBoolean(element: XmlElement, name: string, fallback: boolean, sink: DiagnosticSink): boolean {
  const attr = attribute(element, name);
  if (!attr) return fallback;
  const v = attr.value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  sink.error('invalid-boolean', element, `${name}="${attr.value}" is not a boolean (true or false)`, attr);
  return fallback;
}

/** A non-negative whole number (milliseconds, ports); Java's long/int attributes. */
export function readNonNegativeInteger(element: XmlElement, name: string, fallback: number, sink: DiagnosticSink): number {
  const attr = attribute(element, name);
  if (!attr) return fallback;
  const parsed = parseNonNegativeInteger(attr.value);
  if (parsed === null) {
    sink.error('invalid-number', element, `${name}="${attr.value}" is not a whole number of 0 or more`, attr);
    return fallback;
  }
  return parsed;
}

export function parseNonNegativeInteger(text: string): number | null {
  const v = text.trim();
  if (!/^\+?\d+$/.test(v)) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

export function readString(element: XmlElement, name: string): string | undefined {
  return attribute(element, name)?.value;
}

/** The app's views, in menu order; the digit is its keyboard shortcut. */
export const VIEWS = [
  { id: 'cluster', label: 'Cluster', key: '1' },
  { id: 'config', label: 'Config', key: '2' },
  { id: 'timeline', label: 'Timeline', key: '3' },
  { id: 'logs', label: 'Logs', key: '4' },
  { id: 'store', label: 'Store', key: '5' },
  { id: 'tests', label: 'Tests', key: '6' },
  { id: 'lessons', label: 'Lessons', key: '7' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '');
  return VIEWS.find((v) => v.id === id)?.id ?? 'cluster';
}

/** True when a key press belongs to a text field or the editor, not to the app's shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.closest('.cm-editor') !== null;
}

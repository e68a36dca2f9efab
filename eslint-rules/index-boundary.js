import { existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * A folder with an `index.ts` is entered through it (docs/design.md, What each part may import):
 * code outside the folder imports its `index.ts`, never a file inside it. Tests, contract suites
 * and fixtures may reach inside; so may the allowed files given as options (paths from the root).
 */
const indexCache = new Map();

function hasIndex(dir) {
  if (!indexCache.has(dir)) indexCache.set(dir, existsSync(resolve(dir, 'index.ts')));
  return indexCache.get(dir);
}

/** The outermost folder with an index.ts that holds `target` but not `from`, or null. */
function enteredFolder(from, target, root) {
  const chain = [];
  for (let dir = dirname(target); dir.startsWith(root + sep) || dir === root; dir = dirname(dir)) {
    chain.push(dir);
    if (dir === root) break;
  }
  for (const dir of chain.reverse()) {
    if (from.startsWith(dir + sep)) continue;
    if (!hasIndex(dir)) continue;
    if (target === resolve(dir, 'index.ts')) return null;
    return dir;
  }
  return null;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: "import a folder that has an index.ts only through that index.ts" },
    schema: [{ type: 'object', properties: { allow: { type: 'array', items: { type: 'string' } } }, additionalProperties: false }],
    messages: { pastIndex: "'{{source}}' reaches past {{folder}}/index.ts: import the folder's index.ts (docs/design.md)." },
  },
  create(context) {
    const root = context.cwd;
    const allow = new Set((context.options[0]?.allow ?? []).map((p) => resolve(root, p)));
    const from = context.filename;
    const check = (node) => {
      // A type-only import loads nothing, so it cannot defeat what an index loads or leaves out.
      if (node.importKind === 'type' || node.exportKind === 'type') return;
      if (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type')) return;
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(from), source).replace(/\.js$/, '.ts');
      if (allow.has(target)) return;
      const folder = enteredFolder(from, target, root);
      if (folder !== null) context.report({ node: node.source, messageId: 'pastIndex', data: { source, folder: relative(root, folder) } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { LabApiError } from './lab-errors.js';

/**
 * Where `store/save` may write: inside the lab directory (a relative `file` is taken from there),
 * or a path the user chose outside the API (a save dialog, a command-line flag), granted by the
 * shell. An existing file is replaced only with `overwrite: true`, which a UI sets after asking.
 * Both rules hold for whoever can call the API (a web page with the token, a renderer).
 */
export class SaveTargets {
  private readonly granted = new Set<string>();

  constructor(private readonly labDir: string) {}

  /** A path the user chose themselves; only shells call this, never an API payload. */
  grant(file: string): string {
    const path = resolve(file);
    this.granted.add(path);
    return path;
  }

  /** The absolute path to write, or a LabApiError saying why not. */
  resolve(file: string, overwrite: boolean): string {
    const path = resolve(this.labDir, file);
    if (!this.granted.has(path) && !inside(realDir(this.labDir), realDir(dirname(path)) ?? '')) {
      throw new LabApiError('bad-request', `store/save: ${file} is outside the lab directory ${this.labDir}: save there (a relative name is taken from it) or choose the file in a save dialog`);
    }
    const existing = lstatOrNull(path);
    if (existing?.isSymbolicLink()) throw new LabApiError('bad-request', `store/save: ${path} is a symbolic link; it is not followed`);
    if (existing && !overwrite) throw new LabApiError('conflict', `store/save: ${path} exists; it is replaced only with overwrite: true (after asking the user)`);
    if (existing && !existing.isFile()) throw new LabApiError('bad-request', `store/save: ${path} exists and is not a file`);
    return path;
  }
}

/** The real path of a directory (symbolic links resolved, so a link cannot lead out), or null. */
function realDir(dir: string): string | null {
  try {
    return realpathSync(dir);
  } catch {
    return null;
  }
}

function inside(root: string | null, dir: string): boolean {
  if (root === null || dir === '') return false;
  const rel = relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

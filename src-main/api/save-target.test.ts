import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SaveTargets } from './save-target.js';

const setup = () => {
  const root = mkdtempSync(join(tmpdir(), 'failover-lab-save-'));
  const labDir = join(root, 'lab');
  const outside = join(root, 'elsewhere');
  mkdirSync(labDir);
  mkdirSync(outside);
  return { labDir, outside, targets: new SaveTargets(labDir) };
};

describe('where store/save may write', () => {
  it('takes a relative name from the lab directory', () => {
    const { labDir, targets } = setup();
    expect(targets.resolve('pgmem.json', false)).toBe(join(labDir, 'pgmem.json'));
  });

  it('accepts an absolute path inside the lab directory', () => {
    const { labDir, targets } = setup();
    mkdirSync(join(labDir, 'saves'));
    expect(targets.resolve(join(labDir, 'saves/a.json'), false)).toBe(join(labDir, 'saves/a.json'));
  });

  it('refuses a path outside the lab directory, by absolute path or by ../', () => {
    const { outside, targets } = setup();
    expect(() => targets.resolve(join(outside, 'a.json'), false)).toThrow(/outside the lab directory/);
    expect(() => targets.resolve('../elsewhere/a.json', false)).toThrow(/outside the lab directory/);
    expect(() => targets.resolve('/etc/passwd', true)).toThrow(/outside the lab directory/);
  });

  it('refuses a way out through a symbolic link to a directory elsewhere', () => {
    const { labDir, outside, targets } = setup();
    symlinkSync(outside, join(labDir, 'out'));
    expect(() => targets.resolve('out/a.json', false)).toThrow(/outside the lab directory/);
  });

  it('never replaces an existing file without overwrite: true, and never follows a link', () => {
    const { labDir, outside, targets } = setup();
    writeFileSync(join(labDir, 'old.json'), '{}');
    expect(() => targets.resolve('old.json', false)).toThrow(expect.objectContaining({ reason: 'conflict', message: expect.stringMatching(/exists; it is replaced only with overwrite: true/) }));
    expect(targets.resolve('old.json', true)).toBe(join(labDir, 'old.json'));
    writeFileSync(join(outside, 'victim'), 'x');
    symlinkSync(join(outside, 'victim'), join(labDir, 'link.json'));
    expect(() => targets.resolve('link.json', true)).toThrow(/symbolic link/);
  });

  it('accepts a path the user chose (granted by the shell) outside the lab directory, still asking before replacing it', () => {
    const { outside, targets } = setup();
    const chosen = targets.grant(join(outside, 'chosen.json'));
    expect(targets.resolve(chosen, false)).toBe(chosen);
    writeFileSync(chosen, '{}');
    expect(() => targets.resolve(chosen, false)).toThrow(/overwrite: true/);
    expect(targets.resolve(chosen, true)).toBe(chosen);
    expect(() => targets.resolve(join(outside, 'other.json'), false)).toThrow(/outside the lab directory/);
  });
});

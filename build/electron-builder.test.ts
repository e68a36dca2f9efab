import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

// electron-builder's own loader and validator (its scheme.json through ajv), as `electron-builder`
// runs them before packaging: no network, no Electron binary needed.
const ROOT = resolve(import.meta.dirname, '..');
const load = (projectDir: string, file: string) => getConfig(projectDir, file, null);

// Loading electron-builder takes seconds on a busy machine: the ceiling only guards against a hang.
describe('build/electron-builder.yml', { timeout: 60_000 }, () => {
  it('passes electron-builder\'s configuration schema', async () => {
    const config = await load(ROOT, 'build/electron-builder.yml');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
  });

  it('packs what the packaged app runs: the renderer, the lab host, the broker bundle, the native SQLite module unpacked', async () => {
    const config = await load(ROOT, 'build/electron-builder.yml');
    // The loader normalises `files` into file sets.
    const files = (config.files as Array<{ filter: string[] }>).flatMap((set) => set.filter);
    expect(files).toEqual(expect.arrayContaining(['out/**', 'dist/broker/**', 'dist/src-main/**', 'package.json']));
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['dist/**', 'node_modules/better-sqlite3/**']));
  });

  it('is the kind of check that fails: a misspelled option is refused with its name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'failover-lab-builder-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
    writeFileSync(join(dir, 'bad.yml'), 'appId: org.example.x\nlinux:\n  targets: [AppImage]\n');
    const config = await load(dir, 'bad.yml');
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/configuration\.linux should be/);
  });
});

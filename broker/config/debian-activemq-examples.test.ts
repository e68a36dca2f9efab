import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from './load-config.js';

/**
 * Every activemq*.xml that Debian's `activemq` package ships must load without a crash. CI extracts
 * the package here (see docs/config.md); the test fails, never skips, when the files are absent:
 *   cd /tmp && apt-get download activemq && dpkg -x activemq_*.deb /tmp/activemq-deb
 */
const ROOT = '/tmp/activemq-deb';
const DIRECTORIES = [join(ROOT, 'etc/activemq/instances-available/main'), join(ROOT, 'usr/share/doc/activemq/examples/conf')];

function debianConfigs(): string[] {
  return DIRECTORIES.filter((d) => existsSync(d)).flatMap((d) =>
    readdirSync(d)
      .filter((f) => /^activemq.*\.xml$/.test(f))
      .map((f) => join(d, f)),
  );
}

describe("Debian's activemq package configs", () => {
  it('are present (extract the activemq package to /tmp/activemq-deb)', () => {
    expect(debianConfigs().length, `no activemq*.xml under ${ROOT}; run: cd /tmp && apt-get download activemq && dpkg -x activemq_*.deb ${ROOT}`).toBeGreaterThanOrEqual(15);
  });

  it('all load with positioned diagnostics and never an internal error', async () => {
    const files = debianConfigs();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const { diagnostics } = await loadConfigFile(file, { cwd: '/var/lib/activemq' });
      expect(diagnostics.map((d) => d.code), file).not.toContain('internal-error');
      expect(diagnostics.map((d) => d.code), file).not.toContain('xml-not-well-formed');
      for (const d of diagnostics) {
        expect(d.line >= 1 && d.column >= 1 && d.code !== '', `${file}: ${JSON.stringify(d)}`).toBe(true);
      }
    }
  });

  it('map the main instance config (KahaDB) to an SQLite store without errors', async () => {
    const { config, diagnostics } = await loadConfigFile(join(DIRECTORIES[0] ?? '', 'activemq.xml'), { cwd: '/var/lib/activemq' });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(config?.persistence.store).toEqual({ kind: 'sqlite', file: '/var/lib/activemq/data/kahadb/failover-lab.sqlite', origin: 'kahaDB' });
    expect(config?.transportConnectors.map((c) => c.uri)).toEqual(['tcp://127.0.0.1:61616']);
  });

  it('map the JDBC example (embedded Derby) and the STOMP example without errors', async () => {
    const conf = DIRECTORIES[1] ?? '';
    const jdbc = await loadConfigFile(join(conf, 'activemq-jdbc.xml'), { cwd: '/var/lib/activemq' });
    expect(jdbc.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(jdbc.config?.persistence.store).toEqual({ kind: 'sqlite', file: '/var/lib/activemq/data/failover-lab.sqlite', origin: 'derby' });
    const stomp = await loadConfigFile(join(conf, 'activemq-stomp.xml'), { cwd: '/var/lib/activemq' });
    expect(stomp.config?.transportConnectors.map((c) => c.scheme)).toEqual(['stomp', 'stomp+nio']);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_ELEMENTS, booleanDefault, numberDefault } from './config-schema.js';
import { DEFAULTS } from './broker-config.js';

const DOC = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');

/** The lines of docs/config.md that name an attribute (as `name` or name=), backticks dropped. */
function linesFor(attribute: string): string[] {
  return DOC.split('\n')
    .filter((line) => line.includes(`\`${attribute}\``) || line.includes(`${attribute}=`))
    .map((line) => line.replaceAll('`', ''));
}

describe('the config schema table', () => {
  it('documents every attribute of every element in docs/config.md', () => {
    const missing = CONFIG_ELEMENTS.flatMap((e) =>
      e.attributes.filter((a) => a.name !== 'xmlns' && linesFor(a.name).length === 0).map((a) => `${e.name} @${a.name}`),
    );
    expect(missing).toEqual([]);
  });

  it('documents every default in docs/config.md as the table has it', () => {
    const wrong = CONFIG_ELEMENTS.flatMap((e) =>
      e.attributes
        .filter((a) => a.default !== undefined)
        .filter((a) => !linesFor(a.name).some((line) => line.includes(a.default!)))
        .map((a) => `${e.name} @${a.name} (default ${a.default})`),
    );
    expect(wrong).toEqual([]);
  });

  it('documents every element in docs/config.md', () => {
    const missing = CONFIG_ELEMENTS.filter((e) => !DOC.includes(`<${e.name}`) && !DOC.includes(`\`${e.name}\``)).map((e) => e.name);
    expect(missing).toEqual([]);
  });

  it('gives the loader its defaults', () => {
    expect(DEFAULTS.lockKeepAlivePeriodMs).toBe(numberDefault('jdbcPersistenceAdapter', 'lockKeepAlivePeriod'));
    expect(DEFAULTS.lockAcquireSleepIntervalMs).toBe(numberDefault('lease-database-locker', 'lockAcquireSleepInterval'));
    expect(booleanDefault('jdbcPersistenceAdapter', 'createTablesOnStartup')).toBe(true);
  });

  it('refuses to invent a default the table does not have', () => {
    expect(() => numberDefault('jdbcPersistenceAdapter', 'dataSource')).toThrow(/no default/);
    expect(() => numberDefault('broker', 'brokerName')).toThrow(/not a number/);
  });
});

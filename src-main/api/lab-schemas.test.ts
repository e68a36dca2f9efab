import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { LAB_COMMAND_NAMES as LAB_COMMANDS, isLabCommand } from './contract/index.js';
import type { LabCommand, LabPayloads, LabResults } from './contract/index.js';
import { LabCommandSchemas, parsePayload } from './lab-schemas.js';

type SchemaInputs = { [C in LabCommand]: z.input<(typeof LabCommandSchemas)[C]> };

describe('LabApi command schemas', () => {
  it('has a result type for every command and names every command area/verb', () => {
    expectTypeOf<keyof LabResults>().toEqualTypeOf<LabCommand>();
    expectTypeOf<keyof LabPayloads>().toEqualTypeOf<LabCommand>();
    expectTypeOf<keyof typeof LabCommandSchemas>().toEqualTypeOf<LabCommand>();
    for (const command of LAB_COMMANDS) expect(command).toMatch(/^[a-z]+\/[a-z-]+$/);
  });

  it('fills in the documented defaults of cluster/create', () => {
    expect(LabCommandSchemas['cluster/create'].parse({})).toEqual({
      brokers: 3,
      store: 'sqlite',
      locker: 'database-locker',
      keepAliveMs: 1000,
      lockAcquireSleepIntervalMs: 1000,
      properties: {},
      durability: 'normal',
      supervise: true,
      start: false,
    });
  });

  it('accepts sqlite, pgmem and postgres URLs as stores and nothing else', () => {
    const store = (s: string) => LabCommandSchemas['cluster/create'].safeParse({ store: s }).success;
    expect([store('sqlite'), store('pgmem'), store('postgres://u:p@h:5432/d'), store('postgresql://h/d')]).toEqual([true, true, true, true]);
    expect([store('mysql://h/d'), store('postgres://'), store('')]).toEqual([false, false, false]);
  });

  it('refuses unknown fields, bad broker names and out-of-range numbers', () => {
    expect(LabCommandSchemas['broker/kill'].safeParse({ broker: 'broker1', force: true }).success).toBe(false);
    expect(LabCommandSchemas['broker/kill'].safeParse({ broker: '../etc' }).success).toBe(false);
    expect(LabCommandSchemas['broker/pause'].safeParse({ broker: 'broker1', durationMs: 0 }).success).toBe(false);
    expect(LabCommandSchemas['fault/latency'].safeParse({ broker: 'broker1', latencyMs: 70_000 }).success).toBe(false);
    expect(LabCommandSchemas['fault/cut-link'].parse({ broker: 'broker1' })).toEqual({ broker: 'broker1', mode: 'blackhole' });
  });

  it('tells commands from other strings', () => {
    expect(isLabCommand('fault/db-restart')).toBe(true);
    expect(isLabCommand('toString')).toBe(false);
    expect(isLabCommand('fault/explode')).toBe(false);
  });

  it('has schemas whose inputs are exactly the contract\'s payloads', () => {
    expectTypeOf<SchemaInputs>().toEqualTypeOf<LabPayloads>();
  });

  it('says where a payload is wrong, once, with the command name', () => {
    expect(() => parsePayload('broker/pause', { broker: 'broker1', durationMs: 0 })).toThrow(/^broker\/pause: durationMs: /);
    expect(() => parsePayload('nope/never' as LabCommand, {})).toThrow(/unknown command "nope\/never"/);
  });
});

import { describe, it, expect } from 'vitest';
import { parseBrokerLine } from './broker-output.js';

const STATUS = {
  type: 'status',
  ts: 1764130000000,
  broker: 'broker1',
  pid: 4242,
  state: 'master',
  role: 'master',
  lock: { holder: 'broker1', epoch: 7, leaseExpiresAt: null },
  connectors: [{ name: 'stomp', uri: 'stomp://127.0.0.1:61613', boundUri: 'stomp://127.0.0.1:61613', port: 61613 }],
};

describe('parseBrokerLine', () => {
  it('reads a status line with its lock and connectors', () => {
    const out = parseBrokerLine(JSON.stringify(STATUS));
    expect(out.kind).toBe('status');
    if (out.kind !== 'status') return;
    expect(out.status.lock).toEqual({ holder: 'broker1', epoch: 7, leaseExpiresAt: null });
    expect(out.status.connectors[0]?.port).toBe(61613);
  });

  it('reads the exit code of a stopped line', () => {
    const out = parseBrokerLine(JSON.stringify({ ...STATUS, state: 'stopped', role: 'stopped', exitCode: 3, reason: 'lock lost' }));
    expect(out).toMatchObject({ kind: 'status', status: { exitCode: 3, reason: 'lock lost' } });
  });

  it('keeps the extra fields of a log line apart from its message', () => {
    const out = parseBrokerLine(JSON.stringify({ type: 'log', ts: 5, level: 'warn', msg: 'becoming master', broker: 'broker2', epoch: 3 }));
    expect(out).toEqual({ kind: 'log', ts: 5, level: 'warn', msg: 'becoming master', fields: { broker: 'broker2', epoch: 3 } });
  });

  it('reads a control reply', () => {
    expect(parseBrokerLine('{"type":"control","ok":false,"error":"not JSON"}')).toEqual({ kind: 'control', ok: false, cmd: null, error: 'not JSON', result: null });
  });

  it('keeps the result of a control command answered when done (purge)', () => {
    const line = JSON.stringify({ type: 'control', ok: true, cmd: 'purge', result: { destination: '/queue/a', purged: 3 } });
    expect(parseBrokerLine(line)).toEqual({ kind: 'control', ok: true, cmd: 'purge', error: null, result: { destination: '/queue/a', purged: 3 } });
  });

  it('never guesses at free text or a status line with a wrong field', () => {
    expect(parseBrokerLine('becoming master')).toEqual({ kind: 'unparsed', text: 'becoming master' });
    const bad = JSON.stringify({ ...STATUS, state: 'leader' });
    expect(parseBrokerLine(bad)).toEqual({ kind: 'unparsed', text: bad });
  });
});

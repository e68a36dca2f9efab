import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_CONTROL_LINE, listenForControl, parseControlCommand, type ControlCommand, type ControlReply } from './control-channel.js';

describe('the control channel', () => {
  it('accepts the five commands with exactly their fields', () => {
    expect(parseControlCommand({ cmd: 'status' })).toEqual({ cmd: 'status' });
    expect(parseControlCommand({ cmd: 'stop' })).toEqual({ cmd: 'stop' });
    expect(parseControlCommand({ cmd: 'simulate-db-failure', failing: true })).toEqual({ cmd: 'simulate-db-failure', failing: true });
    expect(parseControlCommand({ cmd: 'set-clock-offset', offsetMs: -2500 })).toEqual({ cmd: 'set-clock-offset', offsetMs: -2500 });
    expect(parseControlCommand({ cmd: 'purge', destination: '/queue/orders' })).toEqual({ cmd: 'purge', destination: '/queue/orders' });
  });

  it('rejects unknown commands, missing or extra fields and wrong types with a message', () => {
    for (const bad of [null, [], 'stop', { cmd: 'explode' }, { cmd: 'stop', now: true }, { cmd: 'simulate-db-failure' }, { cmd: 'simulate-db-failure', failing: 'yes' }, { cmd: 'set-clock-offset', offsetMs: Infinity }, { cmd: 'purge' }, { cmd: 'purge', destination: '/topic/news' }]) {
      expect(typeof parseControlCommand(bad), JSON.stringify(bad)).toBe('string');
    }
  });

  it('answers every line, runs only valid commands and survives garbage', async () => {
    const input = new PassThrough();
    const handled: ControlCommand[] = [];
    const replies: ControlReply[] = [];
    listenForControl(input, (c) => void handled.push(c), (r) => replies.push(r));
    input.write('not json\n{"cmd":"status"}\n\n{"cmd":"set-clock-offset","offsetMs":"x"}\n{"cmd":"stop"}\n');
    await new Promise((r) => setImmediate(r));
    expect(handled).toEqual([{ cmd: 'status' }, { cmd: 'stop' }]);
    expect(replies.map((r) => r.ok)).toEqual([false, true, false, true]);
  });

  it('answers a purge when it is done, with its result or its error', async () => {
    const input = new PassThrough();
    const replies: ControlReply[] = [];
    let fail = false;
    listenForControl(input, (c) => (c.cmd === 'purge' ? (fail ? Promise.reject(new Error('not master')) : Promise.resolve({ destination: c.destination, purged: 2 })) : undefined), (r) => replies.push(r));
    // Follows the replies, turn by turn of the event loop: no wall-clock wait.
    const replied = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (replies.length >= n ? resolve() : setImmediate(check));
        check();
      });
    input.write('{"cmd":"purge","destination":"/queue/a"}\n');
    await replied(1);
    fail = true;
    input.write('{"cmd":"purge","destination":"/queue/a"}\n');
    await replied(2);
    expect(replies).toEqual([
      { type: 'control', ok: true, cmd: 'purge', result: { destination: '/queue/a', purged: 2 } },
      { type: 'control', ok: false, cmd: 'purge', error: 'not master' },
    ]);
  });

  it('joins lines split across chunks, takes CRLF, and answers an over-long line once without running it', async () => {
    const input = new PassThrough();
    const handled: ControlCommand[] = [];
    const replies: ControlReply[] = [];
    listenForControl(input, (c) => void handled.push(c), (r) => replies.push(r));
    input.write('{"cmd":"sta');
    input.write('tus"}\r\n');
    input.write(`{"cmd":"stop","x":"${'a'.repeat(MAX_CONTROL_LINE)}`);
    input.write(`${'a'.repeat(100)}"}\n{"cmd":"stop"}\n`);
    await new Promise((r) => setImmediate(r));
    expect(handled).toEqual([{ cmd: 'status' }, { cmd: 'stop' }]);
    expect(replies.map((r) => [r.ok, r.error?.startsWith('a command line is at most') ?? null])).toEqual([
      [true, null],
      [false, true],
      [true, null],
    ]);
  });
});

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../support/cluster.js';

/** Debian's python3-stomp is only importable by the system interpreter. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../support/py_conformance.py', import.meta.url));

let cluster: Cluster;
let port = 0;
beforeAll(async () => {
  cluster = await new Cluster({ store: 'sqlite', locker: 'database-locker', brokers: 1 }).start();
  port = (await cluster.waitForMaster()).port;
});
afterAll(async () => {
  await cluster.stop();
});

async function scenario(name: string): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT, String(port), name], { timeout: 30_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

describe('python3-stomp (Debian) against a real master on SQLite', () => {
  it('[STOMP-1.2 protocol negotiation] Connection10, 11 and 12 each get their version and exchange a message', async () => {
    const out = await scenario('versions');
    expect(out).toEqual({
      // Connection10 sends no accept-version: 1.0, as in ActiveMQ. A 1.0 SUBSCRIBE without id has no subscription header.
      '1.0': { version: '1.0', body: 'hello 1.0', note: 'a:b', subscription: null },
      '1.1': { version: '1.1', body: 'hello 1.1', note: 'a:b', subscription: 'v' },
      '1.2': { version: '1.2', body: 'hello 1.2', note: 'a:b', subscription: 'v' },
    });
  });

  it('[STOMP-1.2 ack id] [STOMP-1.1 ack client] [STOMP-1.2 NACK] client-individual, cumulative client acks, NACK to ActiveMQ.DLQ and auto topic delivery', async () => {
    const out = await scenario('acks');
    expect(out).toEqual({
      ack_is_opaque: true,
      individual_after_reconnect: [['i2', 'true']],
      dlq: [['i3', '/queue/conf.py.individual']],
      client_after_reconnect: ['c3'],
      topic: ['extra', 'extra'],
    });
  });

  it('[STOMP-1.2 BEGIN] [STOMP-1.2 COMMIT] [STOMP-1.2 ABORT] sends arrive on COMMIT only, aborted ones never, transacted ACKs count on COMMIT', async () => {
    expect(await scenario('tx')).toEqual({ before_commit: [], after_commit: ['kept-1', 'kept-2'], left_after_acked_commit: [] });
  });

  it('[STOMP-1.2 heart-beating] heart-beats 100,100 are answered swapped and keep the connection', async () => {
    expect(await scenario('heartbeat')).toEqual({ negotiated: '100,100', alive: true, receipted: true });
  });

  it('[ActiveMQ STOMP selector] converts a string header compared with a number, so size > 2 selects size:3', async () => {
    // '2.5' does not convert to the Integer literal's type (Java's Integer.valueOf), as in ActiveMQ.
    expect(await scenario('selectors')).toEqual({ selected: ['size 12', 'size 3'], rest: ['size 1', 'size 2.5', 'size cheap'] });
  });

  it('[STOMP-1.2 ERROR] a bad transaction is a non-fatal ERROR with receipt-id (ActiveMQ); an unknown command is fatal', async () => {
    expect(await scenario('errors')).toEqual({
      message: 'Invalid transaction id: missing',
      receipt_id: 'bad',
      still_usable: true,
      fatal_message: 'Unknown STOMP action: BOGUS',
      fatal_closed: true,
    });
  });
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { portAccepts } from '../support/broker-process.js';
import { Cluster, type LockerKind, type StoreKind } from '../support/cluster.js';
import { RawStomp } from '../support/raw-stomp.js';
import { sendReceipted } from '../support/stompit-producer.js';

const run = promisify(execFile);
const PY_CONSUME = fileURLToPath(new URL('../support/py_consume.py', import.meta.url));

/** Consumes with Debian's python3-stomp and returns what it received. */
async function consumeWithPython(port: number, destination: string, expected: number): Promise<{ received: string[]; redelivered: number }> {
  const { stdout } = await run('/usr/bin/python3', [PY_CONSUME, String(port), destination, String(expected), '3'], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { received: string[]; redelivered: number };
}

let cluster: Cluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

const matrix: Array<[StoreKind, LockerKind]> = [
  ['sqlite', 'database-locker'],
  ['sqlite', 'lease-database-locker'],
  ['postgres', 'database-locker'],
  ['postgres', 'lease-database-locker'],
];

describe.each(matrix)('JDBC Master/Slave on %s with %s', (store, locker) => {
  it('starts one master whose port accepts while the slaves keep theirs closed (the seed: Startup)', async () => {
    cluster = await new Cluster({ store, locker }).start();
    const master = await cluster.waitForMaster();
    for (const broker of cluster.brokers) {
      if (broker === master) continue;
      await broker.waitForState('waiting-for-lock');
    }
    // Give a wrongly eager slave the time to open its port before checking.
    await new Promise((r) => setTimeout(r, 300));
    for (const broker of cluster.brokers) expect(await portAccepts(broker.port), broker.name).toBe(broker === master);
    expect(cluster.masters()).toHaveLength(1);
  });

  it('kill -9 of the master: a slave takes over and every receipted message is delivered (the seed: Master failure)', async () => {
    cluster = await new Cluster({ store, locker }).start();
    const master = await cluster.waitForMaster();
    const receipted = await sendReceipted(master.port, '/queue/orders', 200);
    expect(receipted).toHaveLength(200);
    master.signal('SIGKILL');
    await master.exit;
    const next = await cluster.waitForMaster(20_000, master);
    expect(next).not.toBe(master);
    const { received } = await consumeWithPython(next.port, '/queue/orders', receipted.length);
    expect(new Set(received)).toEqual(new Set(receipted));
    expect(received).toHaveLength(receipted.length);
  });

  it('a restarted old master waits as a slave (the seed: Master restart)', async () => {
    cluster = await new Cluster({ store, locker }).start();
    const first = await cluster.waitForMaster();
    first.signal('SIGKILL');
    await first.exit;
    const second = await cluster.waitForMaster(20_000, first);
    const restarted = await cluster.launch(first.name);
    await restarted.waitForState('waiting-for-lock');
    await new Promise((r) => setTimeout(r, 300));
    expect(restarted.state).toBe('waiting-for-lock');
    expect(await portAccepts(restarted.port)).toBe(false);
    expect(cluster.masters()).toEqual([second]);
  });

  it('SIGTERM stops the master cleanly and releases the lock', async () => {
    cluster = await new Cluster({ store, locker, acquireSleepMs: 1000 }).start();
    const master = await cluster.waitForMaster();
    master.signal('SIGTERM');
    const { code } = await master.exit;
    expect(code).toBe(0);
    expect(master.statuses.at(-1)?.state).toBe('stopped');
    const next = await cluster.waitForMaster(20_000, master);
    expect(next).not.toBe(master);
    if (locker === 'lease-database-locker') expect(master.hasLog(/released lease/i)).toBe(true);
  });
});

describe.each<[StoreKind, LockerKind]>([
  ['sqlite', 'lease-database-locker'],
  ['postgres', 'lease-database-locker'],
  ['postgres', 'database-locker'],
])('fencing on %s with %s', (store, locker) => {
  it('a master paused beyond its lease never sends a RECEIPT or MESSAGE after waking, and exits', async () => {
    cluster = await new Cluster({ store, locker, brokers: 2, keepAliveMs: 300, acquireSleepMs: 1000 }).start();
    const old = await cluster.waitForMaster();
    const producer = await RawStomp.connect(old.port);
    const consumer = await RawStomp.connect(old.port);
    for (const peer of [producer, consumer]) {
      peer.send('CONNECT', { 'accept-version': '1.2', host: '/', 'heart-beat': '0,0' });
      await peer.waitForFrame((f) => f.command === 'CONNECTED');
    }
    consumer.send('SUBSCRIBE', { id: 's1', destination: '/queue/fenced', ack: 'auto', receipt: 'sub' });
    await consumer.waitForFrame((f) => f.command === 'RECEIPT');
    const framesBefore = producer.frames.length + consumer.frames.length;

    old.signal('SIGSTOP');
    const next = await cluster.waitForMaster(20_000, old);
    // While the old master sleeps, its socket buffers a persistent SEND that would be receipted
    // and dispatched to the waiting consumer if the old master served it after waking.
    producer.send('SEND', { destination: '/queue/fenced', persistent: 'true', receipt: 'r-after-wake' }, 'zombie?');
    await new Promise((r) => setTimeout(r, 200));
    old.signal('SIGCONT');
    const { code } = await old.exit;

    expect(code).toBe(3);
    expect(old.hasLog(/no longer able to keep the exclusive lock/i)).toBe(true);
    expect(producer.frames.length + consumer.frames.length).toBe(framesBefore);
    expect(producer.frames.some((f) => f.command === 'RECEIPT' && f.headers['receipt-id'] === 'r-after-wake')).toBe(false);
    expect(consumer.frames.some((f) => f.command === 'MESSAGE')).toBe(false);
    expect(next.exited).toBe(false);
    producer.close();
    consumer.close();
  });
});

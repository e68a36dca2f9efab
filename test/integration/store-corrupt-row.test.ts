import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_FILE_NAME } from '../../broker/config/data-sources.js';
import { Cluster } from '../support/cluster.js';
import { RawStomp } from '../support/raw-stomp.js';

let cluster: Cluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

async function connect(port: number): Promise<RawStomp> {
  const client = await RawStomp.connect(port);
  client.send('CONNECT', { 'accept-version': '1.2', host: '/', 'heart-beat': '0,0' });
  await client.waitForFrame((f) => f.command === 'CONNECTED');
  return client;
}

async function send(port: number, bodies: string[]): Promise<void> {
  const producer = await connect(port);
  for (const [i, body] of bodies.entries()) producer.send('SEND', { destination: '/queue/orders', persistent: 'true', receipt: `r${i}` }, body);
  await producer.waitForFrame(() => producer.frames.filter((f) => f.command === 'RECEIPT').length === bodies.length);
  producer.close();
}

describe('a row in ACTIVEMQ_MSGS that is not a message', () => {
  it('is reported and skipped by the new master, which serves every other message, and stays in the store', async () => {
    cluster = await new Cluster({ store: 'sqlite', locker: 'database-locker', brokers: 2 }).start();
    const master = await cluster.waitForMaster();
    await send(master.port, ['m-0', 'm-1']);
    // Another program (or a damaged disk) wrote a row our codec cannot read, between good ones.
    const db = new Database(join(cluster.dir, 'data', SQLITE_FILE_NAME), { timeout: 5000 });
    const bad = db.prepare("INSERT INTO ACTIVEMQ_MSGS (CONTAINER, MSG, EXPIRATION, PRIORITY) VALUES ('queue://orders', X'01020304', 0, 4)").run();
    await send(master.port, ['m-2']);

    master.signal('SIGKILL');
    const next = await cluster.waitForMaster(15_000, master);
    const consumer = await connect(next.port);
    consumer.send('SUBSCRIBE', { destination: '/queue/orders', id: 's', ack: 'auto' });
    await consumer.waitForFrame(() => consumer.frames.filter((f) => f.command === 'MESSAGE').length === 3);
    expect(consumer.frames.filter((f) => f.command === 'MESSAGE').map((f) => f.body.toString())).toEqual(['m-0', 'm-1', 'm-2']);
    expect(next.lines.some((l) => l['level'] === 'error' && String(l['msg']).startsWith(`skipped stored message ${bad.lastInsertRowid} of queue://orders`))).toBe(true);
    // Nothing is lost: the row is still there for an operator to look at.
    await new Promise((r) => setTimeout(r, 200));
    expect(db.prepare('SELECT COUNT(*) AS n FROM ACTIVEMQ_MSGS WHERE ID = ?').get(bad.lastInsertRowid)).toEqual({ n: 1 });
    db.close();
    consumer.close();
  });
});

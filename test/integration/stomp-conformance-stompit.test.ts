import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../support/cluster.js';
import { stompitBegin, stompitClose, stompitCollect, stompitOpen, stompitSend } from '../support/stomp-stompit.js';

/** One real broker process on real PostgreSQL (the stompjs and python files use SQLite). */
let cluster: Cluster;
let port = 0;
beforeAll(async () => {
  cluster = await new Cluster({ store: 'postgres', locker: 'database-locker', brokers: 1 }).start();
  port = (await cluster.waitForMaster()).port;
});
afterAll(async () => {
  await cluster.stop();
});

const q = (name: string) => `/queue/conf.stompit.${name}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('stompit against a real master on PostgreSQL', () => {
  // stompit always sends accept-version (1.0,1.1,1.2 when told nothing): "none → 1.0" is python's test.
  it.each([
    ['1.0', '1.0'],
    ['1.1', '1.1'],
    ['1.2', '1.2'],
  ])('[STOMP-1.2 protocol negotiation] accept-version %s connects as %s and exchanges a persistent message', async (offered, version) => {
    const { client } = await stompitOpen(port, offered);
    const queue = q(`v${offered}`);
    const got = await stompitCollect(client, { destination: queue, id: 'v', ack: 'client' }, (m) => client.ack(m.raw));
    await stompitSend(client, { destination: queue, persistent: 'true' }, `in ${version}`);
    const [message] = await got.waitFor(1);
    expect(message?.body).toBe(`in ${version}`);
    expect(message?.headers.persistent).toBe('true');
    // [STOMP-1.2 ack id] only 1.2 MESSAGEs of a client-ack subscription carry `ack`.
    expect(message?.headers.ack !== undefined).toBe(version === '1.2');
    await stompitClose(client);
  });

  it('[STOMP-1.2 protocol negotiation] a CONNECT offering only unsupported versions gets an ERROR', async () => {
    await expect(stompitOpen(port, '2.0')).rejects.toThrow(/Invalid Protocol version/);
  });

  it('[STOMP-1.2 ack auto] auto-acknowledged queue messages are consumed on delivery; topic messages reach every subscriber', async () => {
    const first = await stompitOpen(port);
    const queue = await stompitCollect(first.client, { destination: q('auto'), ack: 'auto' });
    const topicA = await stompitCollect(first.client, { destination: '/topic/conf.stompit.auto', id: 'ta' });
    const second = await stompitOpen(port);
    const topicB = await stompitCollect(second.client, { destination: '/topic/conf.stompit.auto', id: 'tb' });
    for (let i = 0; i < 5; i++) await stompitSend(first.client, { destination: q('auto'), persistent: 'true' }, `a${i}`);
    await stompitSend(second.client, { destination: '/topic/conf.stompit.auto' }, 'news');
    await queue.waitFor(5);
    await topicA.waitFor(1);
    await topicB.waitFor(1);
    await stompitClose(first.client);
    const again = await stompitOpen(port);
    const none = await stompitCollect(again.client, { destination: q('auto'), ack: 'auto' });
    await sleep(150);
    expect(none.messages).toEqual([]);
    await stompitClose(again.client);
    await stompitClose(second.client);
  });

  it('[STOMP-1.1 ack client] stompit 1.1 ACK (subscription + message-id) is cumulative', async () => {
    const first = await stompitOpen(port, '1.1');
    const got = await stompitCollect(first.client, { destination: q('cumulative'), id: 'c', ack: 'client' }, (m) => {
      if (m.body === 'c3') first.client.ack(m.raw);
    });
    for (let i = 1; i <= 4; i++) await stompitSend(first.client, { destination: q('cumulative'), persistent: 'true' }, `c${i}`);
    await got.waitFor(4);
    await stompitSend(first.client, { destination: q('other') }, 'sync');
    await stompitClose(first.client);
    const second = await stompitOpen(port, '1.1');
    const again = await stompitCollect(second.client, { destination: q('cumulative'), id: 'c', ack: 'client' }, (m) => second.client.ack(m.raw));
    await again.waitFor(1);
    await sleep(100);
    expect(again.messages.map((m) => [m.body, m.headers.redelivered])).toEqual([['c4', 'true']]);
    await stompitClose(second.client);
  });

  it('[STOMP-1.2 ack client-individual] only the ACKed messages are consumed; the rest come back redelivered', async () => {
    const first = await stompitOpen(port);
    const got = await stompitCollect(first.client, { destination: q('individual'), id: 'i', ack: 'client-individual' }, (m) => {
      if (m.body !== 'i2') first.client.ack(m.raw);
    });
    for (let i = 1; i <= 3; i++) await stompitSend(first.client, { destination: q('individual'), persistent: 'true' }, `i${i}`);
    await got.waitFor(3);
    await stompitSend(first.client, { destination: q('other') }, 'sync');
    await stompitClose(first.client);
    const second = await stompitOpen(port);
    const again = await stompitCollect(second.client, { destination: q('individual'), id: 'i', ack: 'client-individual' }, (m) => second.client.ack(m.raw));
    await again.waitFor(1);
    await sleep(100);
    expect(again.messages.map((m) => m.body)).toEqual(['i2']);
    await stompitClose(second.client);
  });

  it('[STOMP-1.1 NACK] a NACKed persistent message goes to ActiveMQ.DLQ with original-destination (ActiveMQ poison ack)', async () => {
    const { client } = await stompitOpen(port, '1.1');
    await stompitCollect(client, { destination: q('nack'), id: 'n', ack: 'client-individual' }, (m) => client.nack(m.raw));
    await stompitSend(client, { destination: q('nack'), persistent: 'true' }, 'bad');
    const dlq = await stompitCollect(client, { destination: '/queue/ActiveMQ.DLQ', id: 'dlq', ack: 'client-individual' }, (m) => client.ack(m.raw));
    const [dead] = await dlq.waitFor(1);
    expect(dead?.body).toBe('bad');
    expect(dead?.headers['original-destination']).toBe(q('nack'));
    await stompitClose(client);
  });

  it('[STOMP-1.2 COMMIT] [STOMP-1.2 ABORT] transacted SENDs arrive on COMMIT; an aborted transaction\'s ACK leaves the message unacknowledged', async () => {
    const producer = await stompitOpen(port);
    const tx = stompitBegin(producer.client);
    tx.send({ destination: q('tx'), persistent: 'true' }).end('tx-1');
    tx.send({ destination: q('tx'), persistent: 'true' }).end('tx-2');
    const consumer = await stompitOpen(port);
    const acks = stompitBegin(consumer.client);
    const got = await stompitCollect(consumer.client, { destination: q('tx'), id: 't', ack: 'client-individual' }, (m) =>
      consumer.client.ack(m.raw, { transaction: acks.id }),
    );
    await stompitSend(producer.client, { destination: q('other') }, 'sync');
    expect(got.messages).toEqual([]);
    tx.commit();
    await got.waitFor(2);
    expect(got.messages.map((m) => m.body)).toEqual(['tx-1', 'tx-2']);
    acks.abort();
    await stompitSend(consumer.client, { destination: q('other') }, 'sync');
    await stompitClose(consumer.client);
    const again = await stompitOpen(port);
    const redelivered = await stompitCollect(again.client, { destination: q('tx'), id: 't', ack: 'client-individual' }, (m) => again.client.ack(m.raw));
    await redelivered.waitFor(2);
    expect(redelivered.messages.map((m) => [m.body, m.headers.redelivered])).toEqual([['tx-1', 'true'], ['tx-2', 'true']]);
    await stompitClose(again.client);
    await stompitClose(producer.client);
  });

  it('[STOMP-1.2 heart-beating] stompit with heart-beat 100,100 stays connected through idle time', async () => {
    const { client, errors } = await stompitOpen(port, '1.2', { 'heart-beat': '100,100' });
    await sleep(600);
    expect(errors).toEqual([]);
    await stompitSend(client, { destination: q('hb') }, 'alive');
    await stompitClose(client);
  });

  it('[STOMP-1.2 ERROR] a SEND in an unknown transaction is answered with an ERROR stompit reports', async () => {
    const { client, errors } = await stompitOpen(port);
    client.send({ destination: q('err'), transaction: 'missing' }).end('x');
    const deadline = Date.now() + 3000;
    while (errors.length === 0 && Date.now() < deadline) await sleep(10);
    expect(errors[0]?.message).toMatch(/Invalid transaction id: missing/);
    client.destroy();
  });
});

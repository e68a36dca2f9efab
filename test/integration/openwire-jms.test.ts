import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, type StoreKind } from '../support/cluster.js';
import { checks, jmsClientMissing, JmsProbe } from '../support/jms-client.js';
import { RawStomp } from '../support/raw-stomp.js';

/**
 * ActiveMQ's own JMS client (Debian's activemq-client 5.17.2, OpenWire) against our brokers on a
 * `tcp://` connector, as the seed's clients connect: message types, properties, selectors,
 * transactions, acks, STOMP interop, and the seed's failover URL through a kill -9 of the master.
 */
const missing = jmsClientMissing();
let probe: JmsProbe;
let cluster: Cluster | null = null;

beforeAll(async () => {
  if (missing === null) probe = await JmsProbe.compile();
}, 180_000);
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});
afterAll(async () => {
  await cluster?.stop();
});

describe.skipIf(missing !== null)('the ActiveMQ JMS client over OpenWire', () => {
  it('sends and receives text, bytes and map messages with typed properties; topics, selectors, transactions, client ack (nio://)', async () => {
    cluster = await new Cluster({ store: 'sqlite', locker: 'database-locker', brokers: 1, scheme: 'nio' }).start();
    const master = await cluster.waitForMaster();
    const result = checks(await probe.run(['basic', `tcp://127.0.0.1:${master.port}`]));
    expect(result).toEqual({
      'text.class': 'true',
      'text.body': 'true',
      'text.ip': '7',
      'text.lp': '8',
      'text.dp': '1.5',
      'text.bp': 'true',
      'text.sp': 's',
      'text.correlation': 'corr-1',
      'text.type': 't1',
      'text.persistent': 'true',
      'text.id': 'true',
      'bytes.length': '3',
      'bytes.third': '3',
      'map.k': 'v',
      'map.n': '5',
      'topic.body': 'to-topic',
      'selector.body': 'ip-7',
      'selector.next': 'true',
      'selector.rest': 'ip-3',
      'tx.first': 'tx-2',
      'tx.redelivered': 'true',
      'tx.empty': 'true',
      'clientack.empty': 'true',
      'wildcard.refused': 'javax.jms.InvalidDestinationException:true',
    });
  });

  it('request/reply over a temporary queue, durable subscription, prefetch 0, individual ack, redelivery limit to the DLQ', async () => {
    cluster = await new Cluster({ store: 'sqlite', locker: 'database-locker', brokers: 1, scheme: 'tcp' }).start();
    const master = await cluster.waitForMaster();
    const result = checks(await probe.run(['more', `tcp://127.0.0.1:${master.port}`]));
    expect(result).toEqual({
      'rr.reply': 're: ping',
      'durable.received': 'd-1,d-2',
      'pull.first': 'p-1',
      'pull.nowait': 'true',
      'pull.timeout': 'true',
      'individual.left': 'i-1:true',
      'prefetched.next': 'pre-2:false',
      'delivered.again': 'pre-3:true',
      'window.received': '50',
      // The first delivery and one redelivery (maximumRedeliveries=1), then the client poison-acks it.
      'dlq.deliveries': '2',
      'dlq.body': 'bad',
    });
  });

  it('[ActiveMQ security plugins] a wrong password is JMSSecurityException; without read on ActiveMQ.Advisory.> the connection fails', async () => {
    const plugins = `
      <simpleAuthenticationPlugin>
        <users>
          <authenticationUser username="app" password="pw" groups="users"/>
          <authenticationUser username="noadv" password="pw" groups="others"/>
        </users>
      </simpleAuthenticationPlugin>
      <authorizationPlugin><map><authorizationMap><authorizationEntries>
        <authorizationEntry queue="JMS.SEC.>" read="users,others" write="users,others" admin="users,others"/>
        <authorizationEntry topic="ActiveMQ.Advisory.>" read="users" write="users" admin="users"/>
      </authorizationEntries></authorizationMap></map></authorizationPlugin>`;
    cluster = await new Cluster({ store: 'sqlite', locker: 'database-locker', brokers: 1, scheme: 'tcp', plugins }).start();
    const url = `tcp://127.0.0.1:${(await cluster.waitForMaster()).port}`;
    expect(checks(await probe.run(['login', url, 'app', 'wrong', 'JMS.SEC.a']))).toEqual({
      'login.error': 'javax.jms.JMSSecurityException User name [app] or password is invalid.',
    });
    expect(checks(await probe.run(['login', url, 'noadv', 'pw', 'JMS.SEC.a']))).toEqual({
      'login.error': 'javax.jms.JMSSecurityException User noadv is not authorized to read from: topic://ActiveMQ.Advisory.TempQueue',
    });
    expect(checks(await probe.run(['login', url, 'app', 'pw', 'JMS.SEC.a']))).toEqual({ 'login.sent': 'true' });
  });

  it('round-trips between JMS and STOMP on one auto:// connector (content-length makes a BytesMessage)', async () => {
    cluster = await new Cluster({ store: 'sqlite', locker: 'database-locker', brokers: 1, scheme: 'auto' }).start();
    const master = await cluster.waitForMaster();
    const url = `tcp://127.0.0.1:${master.port}`;
    await probe.run(['sendText', url, 'interop.toStomp', 'from jms é']);
    const stomp = await RawStomp.connect(master.port);
    stomp.send('CONNECT', { 'accept-version': '1.2', host: 'localhost' });
    await stomp.waitForFrame((f) => f.command === 'CONNECTED');
    stomp.send('SUBSCRIBE', { id: '1', destination: '/queue/interop.toStomp', ack: 'auto' });
    const message = await stomp.waitForFrame((f) => f.command === 'MESSAGE');
    expect(message.body).toBe('from jms é');
    expect(message.headers.origin).toBe('jms');
    expect(message.headers.n).toBe('42');
    expect(message.headers.persistent).toBe('true');
    stomp.send('SEND', { destination: '/queue/interop.toJms', persistent: 'true', colour: 'blue', receipt: 'r1' }, 'as text');
    stomp.send('SEND', { destination: '/queue/interop.toJms', 'content-length': '8', receipt: 'r2' }, 'as bytes');
    await stomp.waitForFrame((f) => f.command === 'RECEIPT' && f.headers['receipt-id'] === 'r2');
    stomp.close();
    const lines = (await probe.run(['receive', url, 'interop.toJms', '1000'])).filter((l) => l.startsWith('RECV'));
    expect(lines).toEqual(['RECV text as text | colour=blue', 'RECV bytes as bytes |']);

    // Request/reply: a STOMP requester's temporary queue, answered by a JMS replier.
    const requester = await RawStomp.connect(master.port);
    requester.send('CONNECT', { 'accept-version': '1.2', host: 'localhost' });
    await requester.waitForFrame((f) => f.command === 'CONNECTED');
    requester.send('SUBSCRIBE', { id: 'r', destination: '/temp-queue/replies', receipt: 's1' });
    await requester.waitForFrame((f) => f.command === 'RECEIPT');
    const replier = probe.run(['replyOnce', url, 'interop.requests']);
    requester.send('SEND', { destination: '/queue/interop.requests', 'reply-to': '/temp-queue/replies' }, 'ping');
    const reply = await requester.waitForFrame((f) => f.command === 'MESSAGE', 30_000);
    expect(reply.body).toBe('re: ping');
    expect(checks(await replier)['request.replyTo']).toMatch(/^temp-queue:\/\/ID:.*:replies$/);
    requester.close();
  });

  const stores: StoreKind[] = ['sqlite', 'postgres'];
  it.each(stores)('kill -9 of the master while sending persistent messages with the seed failover URL: 0 lost, 0 duplicates (%s)', async (store) => {
    cluster = await new Cluster({ store, locker: 'database-locker', scheme: 'tcp' }).start();
    const master = await cluster.waitForMaster();
    const url = `failover:(${cluster.brokers.map((b) => `tcp://127.0.0.1:${b.port}`).join(',')})`;
    const total = 400;
    let sent = 0;
    let killed = false;
    let longest = '';
    const sender = probe.start(['send', url, 'failover.orders', String(total)], (line) => {
      if (line.startsWith('LONGEST_SEND_MS ')) longest = line.slice(16);
      if (!line.startsWith('SENT ')) return;
      sent = Number(line.slice(5));
      if (!killed && sent >= 100) {
        killed = true;
        master.signal('SIGKILL');
      }
    });
    const code = await sender.done;
    expect(code).toBe(0);
    expect(killed).toBe(true);
    expect(sent).toBe(total);
    // A number for the reader, not an assertion: the send that spanned the kill -9.
    console.log(`openwire failover (${store}): longest send ${longest} ms`);
    await master.exit;
    const next = await cluster.waitForMaster(20_000, master);
    expect(next).not.toBe(master);
    const received = (await probe.run(['receive', url, 'failover.orders', '3000'])).filter((l) => l.startsWith('RECV')).map((l) => l.split(' ')[2]);
    const expected = Array.from({ length: total }, (_, i) => `m-${i + 1}`);
    expect(new Set(received)).toEqual(new Set(expected));
    expect(received).toHaveLength(total);
  }, 180_000);

  it('a listener with the seed failover URL keeps receiving through a kill -9 of the master: 0 lost, repeats only as redelivered', async () => {
    cluster = await new Cluster({ store: 'sqlite', locker: 'database-locker', scheme: 'tcp' }).start();
    const master = await cluster.waitForMaster();
    const url = `failover:(${cluster.brokers.map((b) => `tcp://127.0.0.1:${b.port}`).join(',')})`;
    const total = 300;
    const lines: string[] = [];
    let killed = false;
    // The consumer reconnects, is replayed with prefetch 0 and gets its prefetch back by ConsumerControl.
    const consumer = probe.start(['consume', url, 'failover.listen', String(total), '15000'], (line) => {
      if (line.startsWith('RECV ')) lines.push(line);
      if (!killed && lines.length >= 100) {
        killed = true;
        master.signal('SIGKILL');
      }
    });
    const sender = probe.start(['send', url, 'failover.listen', String(total)], () => undefined);
    expect(await sender.done).toBe(0);
    expect(await consumer.done).toBe(0);
    expect(killed).toBe(true);
    const bodies = lines.map((l) => l.split(' ')[1] as string);
    expect(new Set(bodies)).toEqual(new Set(Array.from({ length: total }, (_, i) => `m-${i + 1}`)));
    const seen = new Set<string>();
    for (const line of lines) {
      const [, body, redelivered] = line.split(' ');
      if (seen.has(body as string)) expect(redelivered, `${body} came again`).toBe('true');
      seen.add(body as string);
    }
  }, 180_000);
});

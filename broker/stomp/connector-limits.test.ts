import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../util/clock.js';
import { barrier, bodies, RawClient, request, startTestBroker, type Endpoint, type TestBroker } from './test-client.fixture.js';

let broker: TestBroker | null = null;
const clients: RawClient[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const c of clients.splice(0)) c.close();
  await broker?.close();
  broker = null;
});

async function open(port: Endpoint, extra: Record<string, string> = {}): Promise<RawClient> {
  const client = await RawClient.open(port, '1.2', extra);
  clients.push(client);
  return client;
}

async function raw(port: Endpoint): Promise<RawClient> {
  const client = await RawClient.connect(port);
  clients.push(client);
  return client;
}

/** A queue consumer that must keep receiving, in order, while others misbehave. */
async function innocentTraffic(port: Endpoint, misbehave: () => Promise<void>): Promise<void> {
  const consumer = await open(port);
  expect(await request(consumer, 'SUBSCRIBE', { destination: '/queue/innocent', id: 's', ack: 'client-individual' })).toBe('RECEIPT');
  expect(await request(consumer, 'SEND', { destination: '/queue/innocent', persistent: 'true' }, 'before')).toBe('RECEIPT');
  await misbehave();
  expect(await request(consumer, 'SEND', { destination: '/queue/innocent', persistent: 'true' }, 'after')).toBe('RECEIPT');
  expect(await bodies(consumer, 2)).toEqual(['before', 'after']);
}

async function expectFatal(client: RawClient, message: RegExp): Promise<void> {
  const error = await client.next('ERROR');
  expect(error.headers.get('message')).toMatch(message);
  await client.waitClosed();
}

describe('per-connector limits from the transportConnector URI', () => {
  it('[STOMP-1.2 size limits] a frame over wireFormat.maxFrameSize gets an ERROR and a closed connection, others keep their messages', async () => {
    broker = await startTestBroker({ connector: { 'wireFormat.maxFrameSize': '300' } });
    const port: Endpoint = broker;
    await innocentTraffic(port, async () => {
      const big = await open(port);
      big.send('SEND', { destination: '/queue/innocent' }, 'x'.repeat(400));
      await expectFatal(big, /maximum frame size/);
    });
  });

  it('[STOMP-1.2 size limits] a body over wireFormat.maxDataLength is refused, with or without content-length', async () => {
    broker = await startTestBroker({ connector: { 'wireFormat.maxDataLength': '10' } });
    const withLength = await open(broker);
    withLength.send('SEND', { destination: '/queue/q', 'content-length': '11' }, 'x'.repeat(11));
    await expectFatal(withLength, /maximum data length/);
    const withoutLength = await open(broker);
    withoutLength.raw('SEND\ndestination:/queue/q\n\n' + 'y'.repeat(11) + '\0');
    await expectFatal(withoutLength, /maximum data length/);
    const small = await open(broker);
    expect(await request(small, 'SEND', { destination: '/queue/q' }, 'x'.repeat(10))).toBe('RECEIPT');
  });

  it('[STOMP-1.2 size limits] more headers than wireFormat.maxHeaders, or a longer header line than wireFormat.maxHeaderLength, is fatal', async () => {
    broker = await startTestBroker({ connector: { 'wireFormat.maxHeaders': '5', 'wireFormat.maxHeaderLength': '40' } });
    const port: Endpoint = broker;
    await innocentTraffic(port, async () => {
      const many = await open(port);
      many.send('SEND', { destination: '/queue/x', a: '1', b: '2', c: '3', d: '4', e: '5' });
      await expectFatal(many, /maximum number of headers/);
      const long = await open(port);
      long.send('SEND', { destination: '/queue/x', a: 'v'.repeat(50) });
      await expectFatal(long, /maximum header length/);
    });
  });

  it('[STOMP-1.2 frames] an unknown command, a bad header line, a frame before CONNECT and garbage each end only their own connection', async () => {
    broker = await startTestBroker();
    const port: Endpoint = broker;
    await innocentTraffic(port, async () => {
      const unknown = await open(port);
      unknown.raw('BOGUS\n\n\0');
      await expectFatal(unknown, /Unknown STOMP action: BOGUS/);
      const badHeader = await open(port);
      badHeader.raw('SEND\ndestination:/queue/x\nno-colon-here\n\n\0');
      await expectFatal(badHeader, /Unable to parse header line/);
      const early = await raw(port);
      early.raw('SEND\ndestination:/queue/innocent\n\nsneaky\0');
      await expectFatal(early, /before CONNECT/);
      const garbage = await raw(port);
      garbage.raw(Buffer.from([0xff, 0xfe, 0x01, 0x0a, 0x0a, 0x80, 0x00]));
      await expectFatal(garbage, /Unknown STOMP action/);
    });
  });

  it('refuses a connection beyond maximumConnections with an ERROR frame and accepts again once one closed', async () => {
    broker = await startTestBroker({ connector: { maximumConnections: '2' } });
    const first = await open(broker);
    await open(broker);
    const third = await raw(broker);
    await expectFatal(third, /maximum number of allowed client connections/);
    first.close();
    // The broker's end closes in the same turn as the client's (in memory).
    await first.waitClosed();
    await new Promise((r) => setImmediate(r));
    const again = await open(broker);
    expect(await request(again, 'SEND', { destination: '/queue/q' }, 'ok')).toBe('RECEIPT');
  });

  it('[STOMP-1.2 heart-beating] uses transport.defaultHeartBeat when CONNECT has no heart-beat header', async () => {
    broker = await startTestBroker({ connector: { 'transport.defaultHeartBeat': '1000,0' } });
    const client = await RawClient.connect(broker);
    clients.push(client);
    client.send('CONNECT', { 'accept-version': '1.2', host: 'localhost' });
    expect((await client.next('CONNECTED')).headers.get('heart-beat')).toBe('0,1000');
  });

  it('[STOMP-1.2 heart-beating] drops a silent client after its interval × transport.hbGracePeriodMultiplier', async () => {
    const clock = createManualClock();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    broker = await startTestBroker({ clock, connector: { 'transport.hbGracePeriodMultiplier': '3' } });
    const quiet = await open(broker, { 'heart-beat': '1000,0' });
    clock.advance(2500);
    vi.advanceTimersByTime(1000);
    await barrier(broker);
    expect(quiet.closed).toBe(false);
    clock.advance(600);
    vi.advanceTimersByTime(1000);
    await quiet.waitClosed();
  });

  it('keeps at most pendingMessageLimit topic messages waiting for a slow subscriber, dropping the oldest', async () => {
    broker = await startTestBroker({ connector: { pendingMessageLimit: '2' } });
    const slow = await open(broker);
    expect(await request(slow, 'SUBSCRIBE', { destination: '/topic/t', id: 's', ack: 'client', 'activemq.prefetchSize': '1' })).toBe('RECEIPT');
    const producer = await open(broker);
    for (let i = 0; i < 5; i++) expect(await request(producer, 'SEND', { destination: '/topic/t' }, `m${i}`)).toBe('RECEIPT');
    const first = await slow.next('MESSAGE');
    expect(first.body.toString()).toBe('m0');
    slow.send('ACK', { id: first.headers.get('ack') ?? '' });
    const second = await slow.next('MESSAGE');
    slow.send('ACK', { id: second.headers.get('ack') ?? '' });
    const third = await slow.next('MESSAGE');
    // m1 and m2 were dropped: only the two newest (m3, m4) were kept beyond the prefetch of 1.
    expect([second.body.toString(), third.body.toString()]).toEqual(['m3', 'm4']);
  });
});

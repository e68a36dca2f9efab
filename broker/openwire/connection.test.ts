import { afterEach, describe, expect, it } from 'vitest';
import type { WireFormatInfo } from './codec/marshal.js';
import { cmd, OpenWirePeer, startOpenWireBroker } from './test-client.fixture.js';

type Broker = Awaited<ReturnType<typeof startOpenWireBroker>>;
let broker: Broker | null = null;
const peers: OpenWirePeer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  await broker?.close();
  broker = null;
});

async function connect(conn: string, options: { failoverReconnect?: boolean } = {}): Promise<OpenWirePeer> {
  const peer = await OpenWirePeer.connect((broker as Broker).port);
  peers.push(peer);
  peer.handshake();
  await peer.response(peer.send(cmd.connectionInfo(conn, options.failoverReconnect ?? false)));
  return peer;
}

describe('OpenWire connection', () => {
  it('answers the client WireFormatInfo with its own (loose, uncached, no stack traces), then BrokerInfo', async () => {
    broker = await startOpenWireBroker();
    const peer = await OpenWirePeer.connect(broker.port);
    peers.push(peer);
    // The connector tells OpenWire from STOMP by the first bytes, so it speaks once the client has.
    peer.handshake();
    expect((await peer.next('BrokerInfo')).brokerName).toBe('ow-test');
    const info = peer.received[0] as WireFormatInfo;
    expect(info.type).toBe(1);
    expect(info.version).toBe(12);
    expect(info.properties.get('TightEncodingEnabled')).toEqual({ t: 'boolean', v: false });
    expect(info.properties.get('CacheEnabled')).toEqual({ t: 'boolean', v: false });
    expect(info.properties.get('StackTraceEnabled')).toEqual({ t: 'boolean', v: false });
    expect(info.properties.get('MaxInactivityDuration')).toEqual({ t: 'long', v: 30000n });
    expect(peer.received[1]?.type).toBe(2);
  });

  it('honours wireFormat.maxInactivityDuration: keep-alives go out, a silent client is dropped after the period', async () => {
    broker = await startOpenWireBroker({ 'wireFormat.maxInactivityDuration': '300', 'wireFormat.maxInactivityDurationInitalDelay': '0' });
    const peer = await OpenWirePeer.connect(broker.port);
    peers.push(peer);
    peer.handshake();
    const info = (await peer.next('BrokerInfo'), peer.received[0] as WireFormatInfo);
    expect(info.properties.get('MaxInactivityDuration')).toEqual({ t: 'long', v: 300n });
    await peer.next('KeepAliveInfo');
    // The peer never writes again: the broker drops it (waits follow the close; the timeout only guards).
    await peer.waitClosed(10_000);
  });

  it('a resent persistent message (same producer id + sequence, after a failover reconnect) is answered but stored and delivered once', async () => {
    broker = await startOpenWireBroker();
    const first = await connect('ID:c1');
    await first.response(first.send(cmd.producerInfo('ID:c1', 'dup.q')));
    await first.response(first.send(cmd.textMessage('ID:c1', 'dup.q', 1)));
    // The client lost the socket, reconnects with the same ConnectionId and resends what it had in flight.
    const second = await connect('ID:c1', { failoverReconnect: true });
    await first.waitClosed();
    await second.response(second.send(cmd.producerInfo('ID:c1', 'dup.q')));
    await second.response(second.send(cmd.textMessage('ID:c1', 'dup.q', 1)));
    await second.response(second.send(cmd.textMessage('ID:c1', 'dup.q', 2)));
    const consumer = await connect('ID:c2');
    await consumer.response(consumer.send(cmd.consumerInfo('ID:c2', 'dup.q')));
    await consumer.next('MessageDispatch', (d) => (d.message as { messageId: { producerSequenceId: number } }).messageId.producerSequenceId === 2);
    const seqs = consumer.received.filter((c) => c.type === 21).map((d) => (d as unknown as { message: { messageId: { producerSequenceId: number } } }).message.messageId.producerSequenceId);
    expect(seqs).toEqual([1, 2]);
    expect(await broker.store.counts()).toEqual(new Map([['queue://dup.q', 2]]));
  });

  it('refuses an unknown command type with a ConnectionError and a closed socket; other connections keep working', async () => {
    broker = await startOpenWireBroker();
    const good = await connect('ID:good');
    const bad = await connect('ID:bad');
    bad.raw(Buffer.from([0, 0, 0, 6, 77, 0, 0, 0, 1, 0]));
    const error = await bad.next('ConnectionError');
    expect(error.exception).toEqual({ className: 'java.io.IOException', message: 'unknown OpenWire data type 77 (at byte 0)' });
    await bad.waitClosed();
    await good.response(good.send(cmd.producerInfo('ID:good', 'still.q')));
    expect(broker.logs.some((l) => String(l.msg).startsWith('closing OpenWire connection: unknown OpenWire data type 77'))).toBe(true);
  });

  it('refuses a frame beyond wireFormat.maxFrameSize before reading it', async () => {
    broker = await startOpenWireBroker({ 'wireFormat.maxFrameSize': '1000' });
    const peer = await connect('ID:big');
    peer.raw(Buffer.from([0, 0, 0x10, 0]));
    const error = await peer.next('ConnectionError');
    expect(String((error.exception as { message: string }).message)).toBe('Frame size of 4096 larger than max allowed 1000');
    await peer.waitClosed();
  });

  it('a truncated command is refused with its position', async () => {
    broker = await startOpenWireBroker();
    const peer = await connect('ID:cut');
    // A complete frame whose ProducerInfo claims a 255-byte connection id and holds 2 bytes of it.
    peer.raw(Buffer.from('0000000c06000000020101' + '7b0100ff4142', 'hex'));
    const error = await peer.next('ConnectionError');
    expect(String((error.exception as { message: string }).message)).toMatch(/^truncated frame: .* \(at byte \d+\)$/);
    await peer.waitClosed();
  });

  it('a refused command that wanted a response gets an ExceptionResponse with the JMS exception class', async () => {
    broker = await startOpenWireBroker();
    const peer = await connect('ID:wild');
    const id = peer.send({ ...cmd.textMessage('ID:wild', 'x', 1), destination: { type: 101, physicalName: 'a.>' } });
    const response = await peer.next('ExceptionResponse', (c) => c.correlationId === id);
    expect(response.exception).toEqual({ className: 'javax.jms.InvalidDestinationException', message: 'Cannot send to a wildcard destination: a.>' });
  });
});

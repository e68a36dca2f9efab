import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../util/clock.js';
import { parseHeartBeat } from './heartbeat.js';
import { barrier, RawClient, startTestBroker, type TestBroker } from './test-client.fixture.js';

let broker: TestBroker | null = null;
const clients: RawClient[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const c of clients.splice(0)) c.close();
  await broker?.close();
  broker = null;
});

describe('heart-beating', () => {
  it('[STOMP-1.2 heart-beating] rejects a malformed heart-beat header', () => {
    expect(() => parseHeartBeat('10')).toThrow(/Invalid heart-beat/);
    expect(() => parseHeartBeat('a,b')).toThrow(/Invalid heart-beat/);
    expect(parseHeartBeat(' 10, 20 ')).toEqual({ readMs: 10, writeMs: 20 });
  });

  it('[STOMP-1.2 heart-beating] closes a connection that sent nothing for twice the negotiated interval', async () => {
    const clock = createManualClock();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    broker = await startTestBroker({ clock });
    const quiet = await RawClient.open(broker, '1.2', { 'heart-beat': '1000,0' });
    const chatty = await RawClient.open(broker, '1.2', { 'heart-beat': '1000,0' });
    clients.push(quiet, chatty);
    clock.advance(600);
    chatty.raw('\n');
    await barrier(broker);
    clock.advance(1500);
    vi.advanceTimersByTime(500);
    await quiet.waitClosed();
    expect(chatty.closed).toBe(false);
  });

  it('[STOMP-1.2 heart-beating] sends heart-beats when it has written nothing for the client interval', async () => {
    const clock = createManualClock();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    broker = await startTestBroker({ clock });
    const client = await RawClient.open(broker, '1.2', { 'heart-beat': '0,1000' });
    clients.push(client);
    const received: Buffer[] = [];
    client.socket.on('data', (chunk: Buffer) => received.push(chunk));
    clock.advance(600);
    vi.advanceTimersByTime(500);
    await barrier(broker);
    expect(Buffer.concat(received).toString()).toBe('\n');
  });
});

import { Client, type IMessage } from '@stomp/stompjs';
import { TCPWrapper } from '@stomp/tcp-wrapper';
import stompit, { type Client as StompitClient } from 'stompit';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from './test-client.fixture.js';

let broker: TestBroker | null = null;

afterEach(async () => {
  await broker?.close();
  broker = null;
});

describe('clients written by others', () => {
  it('[STOMP-1.2] @stomp/stompjs over TCP: persistent send with receipt, client-individual ack, heart-beats', async () => {
    broker = await startTestBroker();
    const port = broker.port;
    const beats = { sent: 0, got: 0, check: () => undefined as void };
    const client = new Client({
      webSocketFactory: () => new TCPWrapper('127.0.0.1', port),
      heartbeatIncoming: 200,
      heartbeatOutgoing: 200,
      reconnectDelay: 0,
      // The handler takes `debug` when it connects: the only place that shows a PING was sent.
      debug: (line) => {
        if (line === '>>> PING') beats.sent++;
        beats.check();
      },
    });
    const connected = new Promise<void>((resolve) => (client.onConnect = () => resolve()));
    client.activate();
    await connected;
    const received: IMessage[] = [];
    const got = new Promise<void>((resolve) => {
      client.subscribe(
        '/queue/interop',
        (message) => {
          received.push(message);
          message.ack();
          if (received.length === 3) resolve();
        },
        { ack: 'client-individual' },
      );
    });
    for (let i = 0; i < 3; i++) {
      const receiptId = `r${i}`;
      const receipted = new Promise<void>((resolve) => client.watchForReceipt(receiptId, () => resolve()));
      client.publish({ destination: '/queue/interop', body: `m${i}`, headers: { persistent: 'true', receipt: receiptId } });
      await receipted;
    }
    await got;
    // Outlives several heart-beat intervals: the broker must keep the connection. Counted in
    // heart-beats both ways (the client's PINGs the broker checks, the broker's it sends), not in ms.
    const outlived = await new Promise<'kept' | 'closed'>((resolve) => {
      beats.check = () => {
        if (beats.sent >= 3 && beats.got >= 3) resolve('kept');
      };
      client.onHeartbeatReceived = () => {
        beats.got++;
        beats.check();
      };
      client.onWebSocketClose = () => resolve('closed');
      beats.check();
    });
    expect(outlived).toBe('kept');
    expect(client.connected).toBe(true);
    expect(received.map((m) => m.body)).toEqual(['m0', 'm1', 'm2']);
    await client.deactivate();
    // Stopping waits for every store commit started or scheduled, the acks' deletes among them.
    await broker.broker.stop();
    expect((await broker.store.counts()).get('queue://interop')).toBeUndefined();
  });

  it('[STOMP-1.1] stompit: send and receive on a queue with client ack', async () => {
    broker = await startTestBroker();
    const port = broker.port;
    const client = await new Promise<StompitClient>((resolve, reject) =>
      stompit.connect({ host: '127.0.0.1', port, connectHeaders: { host: '/', 'accept-version': '1.1' } }, (err, c) =>
        err ? reject(err) : resolve(c),
      ),
    );
    const body = await new Promise<string>((resolve, reject) => {
      client.subscribe({ destination: '/queue/stompit', ack: 'client', id: 's' }, (err, message) => {
        if (err) return reject(err);
        message.readString('utf-8', (readErr, text) => {
          if (readErr) return reject(readErr);
          client.ack(message);
          resolve(text ?? '');
        });
      });
      const frame = client.send({ destination: '/queue/stompit', persistent: 'true' });
      frame.end('hello from stompit');
    });
    expect(body).toBe('hello from stompit');
    await new Promise<void>((resolve) => client.disconnect(() => resolve()));
  });
});

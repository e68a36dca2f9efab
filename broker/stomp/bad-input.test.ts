import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodies, RawClient, request, startTestBroker, type TestBroker } from './test-client.fixture.js';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker({ connector: { 'wireFormat.maxHeaderLength': '256', 'wireFormat.maxHeaders': '20' } });
});
afterAll(async () => {
  await broker.close();
});

const COMMANDS = ['SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT', 'CONNECT', 'BOGUS', 'MESSAGE'];
const HEADER_NAMES = ['destination', 'id', 'ack', 'selector', 'transaction', 'receipt', 'activemq.subscriptionName', 'browser', 'content-length', 'priority', 'expires', 'persistent', 'message-id', 'subscription', 'x'];
const frameArb = fc.record({
  command: fc.constantFrom(...COMMANDS),
  headers: fc.array(fc.tuple(fc.constantFrom(...HEADER_NAMES), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('/queue/fz', '/topic/fz', '/temp-queue/t', '/topic/a.>', "a = 'x'", 'true', 'client', '-1', '99999999999999999999'))), { maxLength: 6 }),
  body: fc.string({ maxLength: 20 }),
});

describe('bad input never crashes the broker nor costs anyone else a message', () => {
  it('random frames (and garbage) on one connection leave another client\'s persistent queue traffic intact', async () => {
    const innocent = await RawClient.open(broker, '1.2');
    expect(await request(innocent, 'SUBSCRIBE', { destination: '/queue/innocent', id: 'i', ack: 'client-individual' })).toBe('RECEIPT');
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frameArb, { maxLength: 8 }), fc.uint8Array({ maxLength: 40 }), async (frames, garbage) => {
        const fuzzer = await RawClient.open(broker, '1.2', { 'client-id': 'fuzz' });
        for (const f of frames) {
          const head = f.headers.map(([k, v]) => `${k}:${v.replace(/[\n\r\0]/g, '')}`).join('\n');
          fuzzer.raw(`${f.command}\n${head}\n\n${f.body.replace(/\0/g, '')}\0`);
        }
        fuzzer.raw(Buffer.from(garbage));
        // Let the broker read what was written (in memory, within this turn) before the close.
        await new Promise((r) => setImmediate(r));
        fuzzer.close();
        expect(await request(innocent, 'SEND', { destination: '/queue/innocent', persistent: 'true' }, `m${sent}`)).toBe('RECEIPT');
        sent++;
      }),
      { numRuns: 40 },
    );
    const got = await bodies(innocent, sent);
    expect(got).toEqual(Array.from({ length: sent }, (_, i) => `m${i}`));
    innocent.close();
  });
});

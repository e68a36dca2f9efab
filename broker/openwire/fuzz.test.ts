import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmd, OpenWirePeer, startOpenWireBroker } from './test-client.fixture.js';

/**
 * Mutated OpenWire frames thrown at a live broker: the client's recorded frames with random bytes
 * changed, cut or repeated, sent after a valid handshake. Whatever a connection gets, the broker
 * must stay up, every bad connection must end, and a well-behaved connection must keep working.
 * FUZZ_FRAMES raises the count (the default keeps the unit suite quick).
 */
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 20_000);
/** Heap growth allowed over the whole run (the broker keeps nothing per dead connection). */
const HEAP_BOUND = 64 * 1024 * 1024;

const frames = readFileSync(fileURLToPath(new URL('./fixtures/golden-basic.txt', import.meta.url)), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('C>B') && !l.includes('WireFormatInfo'))
  .map((l) => Buffer.from(l.trim().split(/\s+/)[2] as string, 'hex'));

/** A small deterministic PRNG (mulberry32): a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(frame: Buffer, random: () => number): Buffer {
  const out = Buffer.from(frame);
  const kind = random();
  if (kind < 0.6) {
    // Change a few bytes of the body, keeping the size prefix right.
    const n = 1 + Math.floor(random() * 4);
    for (let i = 0; i < n; i++) out[4 + Math.floor(random() * (out.length - 4))] = Math.floor(random() * 256);
    return out;
  }
  if (kind < 0.8) {
    // Cut the body and fix the prefix: a truncated command.
    const cut = 5 + Math.floor(random() * (out.length - 5));
    const cutFrame = out.subarray(0, cut);
    cutFrame.writeInt32BE(cut - 4, 0);
    return cutFrame;
  }
  // Any byte anywhere, the size prefix included.
  out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
  return out;
}

type Broker = Awaited<ReturnType<typeof startOpenWireBroker>>;
let broker: Broker;
beforeAll(async () => {
  broker = await startOpenWireBroker({ 'wireFormat.maxFrameSize': '65536' });
});
afterAll(async () => {
  await broker.close();
});

describe('OpenWire fuzz', () => {
  it(`survives ${FRAMES} mutated frames with bounded memory; a good connection keeps working`, async () => {
    const random = prng(20261204);
    const good = await OpenWirePeer.connect(broker.port);
    good.handshake();
    await good.response(good.send(cmd.connectionInfo('ID:good')));
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let sent = 0;
    let connections = 0;
    while (sent < FRAMES) {
      const peer = await OpenWirePeer.connect(broker.port);
      connections++;
      peer.handshake();
      // Up to 200 frames per connection, or until the broker closes it.
      for (let i = 0; i < 200 && sent < FRAMES && !peer.closed; i++, sent++) {
        peer.raw(mutate(frames[Math.floor(random() * frames.length)] as Buffer, random));
        if (i % 50 === 49) await new Promise((r) => setImmediate(r));
      }
      peer.close();
      // The good client stays active, as a real one does (else inactivity monitoring drops it).
      if (connections % 100 === 0) good.send({ type: 10 }, false);
    }
    await new Promise((r) => setTimeout(r, 200));
    global.gc?.();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    expect(growth).toBeLessThan(HEAP_BOUND);
    expect(connections).toBeGreaterThan(0);
    // The broker still serves: a well-formed connection sends and receives.
    await good.response(good.send(cmd.producerInfo('ID:good', 'after.fuzz')));
    await good.response(good.send(cmd.textMessage('ID:good', 'after.fuzz', 1)));
    const check = await OpenWirePeer.connect(broker.port);
    check.handshake();
    await check.response(check.send(cmd.connectionInfo('ID:check')));
    await check.response(check.send(cmd.consumerInfo('ID:check', 'after.fuzz')));
    await check.next('MessageDispatch');
    good.close();
    check.close();
  }, 300_000);
});

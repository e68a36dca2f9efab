import { afterEach, describe, expect, it } from 'vitest';
import { wildcardMatcher } from '../destination/destination-name.js';
import { barrier, bodies, request, TestScope } from './test-client.fixture.js';

const scope = new TestScope();
const open = () => scope.open();
afterEach(() => scope.close());

describe('wildcards', () => {
  it('[ActiveMQ wildcards] matches * as one path element and > as the rest', () => {
    const star = wildcardMatcher('a.*.c');
    expect([star('a.b.c'), star('a.b.b.c'), star('a.c')]).toEqual([true, false, false]);
    const rest = wildcardMatcher('a.>');
    expect([rest('a.b'), rest('a.b.c'), rest('a'), rest('b.a')]).toEqual([true, true, true, false]);
  });

  it('[ActiveMQ wildcards] a wildcard topic subscriber gets messages of every matching topic, named by the real topic', async () => {
    const sub = await open();
    expect(await request(sub, 'SUBSCRIBE', { destination: '/topic/prices.*.eur', id: 'w' })).toBe('RECEIPT');
    const p = await open();
    await request(p, 'SEND', { destination: '/topic/prices.stock.eur' }, 'a');
    await request(p, 'SEND', { destination: '/topic/prices.stock.usd' }, 'b');
    await request(p, 'SEND', { destination: '/topic/prices.bond.eur' }, 'c');
    const first = await sub.next('MESSAGE');
    expect([first.body.toString(), first.headers.get('destination')]).toEqual(['a', '/topic/prices.stock.eur']);
    expect(await bodies(sub, 1)).toEqual(['c']);
  });

  it('refuses a SEND to a wildcard name', async () => {
    const p = await open();
    expect(await request(p, 'SEND', { destination: '/topic/a.>' }, 'x')).toMatch(/^ERROR Cannot send to a wildcard/);
  });
});

describe('composite destinations', () => {
  it('[ActiveMQ composite] a SEND to /queue/a,/topic/b reaches both; a part without prefix takes the previous kind', async () => {
    const q = await open();
    const t = await open();
    expect(await request(q, 'SUBSCRIBE', { destination: '/queue/c1', id: 'q' })).toBe('RECEIPT');
    expect(await request(t, 'SUBSCRIBE', { destination: '/topic/c2', id: 't' })).toBe('RECEIPT');
    expect(await request(t, 'SUBSCRIBE', { destination: '/topic/c3', id: 't3' })).toBe('RECEIPT');
    const p = await open();
    expect(await request(p, 'SEND', { destination: '/queue/c1,/topic/c2,c3', persistent: 'true' }, 'both')).toBe('RECEIPT');
    expect(await bodies(q, 1)).toEqual(['both']);
    const got = [await t.next('MESSAGE'), await t.next('MESSAGE')].map((m) => m.headers.get('destination')).sort();
    expect(got).toEqual(['/topic/c2', '/topic/c3']);
  });
});

describe('temporary destinations', () => {
  it('[ActiveMQ temp-queue] a reply to /temp-queue/x reaches its creator through the translated reply-to', async () => {
    const requester = await open();
    expect(await request(requester, 'SUBSCRIBE', { destination: '/temp-queue/replies', id: 'r' })).toBe('RECEIPT');
    const server = await open();
    expect(await request(server, 'SUBSCRIBE', { destination: '/queue/service', id: 's' })).toBe('RECEIPT');
    expect(await request(requester, 'SEND', { destination: '/queue/service', 'reply-to': '/temp-queue/replies' }, 'ping')).toBe('RECEIPT');
    const req = await server.next('MESSAGE');
    const replyTo = req.headers.get('reply-to') as string;
    expect(replyTo).toMatch(/^\/remote-temp-queue\/ID:/);
    expect(await request(server, 'SEND', { destination: replyTo }, 'pong')).toBe('RECEIPT');
    const reply = await requester.next('MESSAGE');
    expect([reply.body.toString(), reply.headers.get('destination')]).toEqual(['pong', '/temp-queue/replies']);
  });

  it('[ActiveMQ temp-queue] a temporary queue is deleted with its connection; another may not consume from it', async () => {
    const owner = await open();
    expect(await request(owner, 'SEND', { destination: '/queue/where', 'reply-to': '/temp-queue/t' }, '')).toBe('RECEIPT');
    expect(await request(owner, 'SUBSCRIBE', { destination: '/temp-queue/t', id: 'x' })).toBe('RECEIPT');
    const other = await open();
    expect(await request(other, 'SUBSCRIBE', { destination: '/queue/where', id: 'w' })).toBe('RECEIPT');
    const remote = (await other.next('MESSAGE')).headers.get('reply-to') as string;
    expect(await request(other, 'SUBSCRIBE', { destination: remote, id: 'steal' })).toMatch(/^ERROR Cannot subscribe to a temporary destination/);
    owner.close();
    await owner.waitClosed();
    await barrier(scope.started);
    expect(await request(other, 'SEND', { destination: remote }, 'late')).toMatch(/^ERROR Cannot publish to a deleted Destination/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { SecurityConfig } from '../config/index.js';
import { MemoryPersistenceAdapter } from '../store/memory/memory-persistence-adapter.js';
import { SECURED } from '../security/security.fixture.js';
import { bodies, RawClient, request, startTestBroker, type TestBroker } from './test-client.fixture.js';

const brokers: TestBroker[] = [];
const clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const b of brokers.splice(0)) await b.close();
});

async function broker(security: SecurityConfig | null = SECURED, store = new MemoryPersistenceAdapter()): Promise<TestBroker> {
  const b = await startTestBroker({ store, security });
  await b.broker.recover();
  brokers.push(b);
  return b;
}

async function login(b: TestBroker, user: string, password: string): Promise<RawClient> {
  const c = await RawClient.open(b.port, '1.2', { login: user, passcode: password });
  clients.push(c);
  return c;
}

async function connectFrame(b: TestBroker, headers: Record<string, string>): Promise<{ command: string; message: string | undefined; closed: boolean }> {
  const c = await RawClient.connect(b.port);
  clients.push(c);
  c.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', ...headers });
  const frame = await c.next();
  if (frame.command === 'ERROR') await c.waitClosed();
  return { command: frame.command, message: frame.headers.get('message'), closed: c.closed };
}

describe('[ActiveMQ simpleAuthenticationPlugin] STOMP CONNECT login/passcode', () => {
  it('accepts a known user with its password', async () => {
    const b = await broker();
    expect((await connectFrame(b, { login: 'app', passcode: 'pw' })).command).toBe('CONNECTED');
  });

  it('refuses a wrong password, an unknown user and a missing login with ActiveMQ\'s message, then closes', async () => {
    const b = await broker();
    expect(await connectFrame(b, { login: 'app', passcode: 'wrong' })).toEqual({ command: 'ERROR', message: 'User name [app] or password is invalid.', closed: true });
    expect(await connectFrame(b, { login: 'nobody', passcode: 'pw' })).toEqual({ command: 'ERROR', message: 'User name [nobody] or password is invalid.', closed: true });
    expect(await connectFrame(b, {})).toEqual({ command: 'ERROR', message: 'User name [null] or password is invalid.', closed: true });
  });

  it('lets a client without login and passcode in as the anonymous user when anonymousAccessAllowed', async () => {
    const auth = SECURED.authentication;
    if (auth === null) throw new Error('fixture');
    const b = await broker({
      authentication: { ...auth, anonymousAccessAllowed: true },
      authorization: { entries: [{ kind: 'queue', pattern: 'PUBLIC', read: ['anonymous'], write: ['anonymous'], admin: ['anonymous'] }], temp: null },
    });
    const anon = await RawClient.open(b.port, '1.2');
    clients.push(anon);
    expect(await request(anon, 'SEND', { destination: '/queue/PUBLIC' }, 'hi')).toBe('RECEIPT');
    expect(await request(anon, 'SEND', { destination: '/queue/PRIVATE' }, 'hi')).toBe('ERROR User anonymous is not authorized to write to: queue://PRIVATE');
  });

  it('accepts anything without <plugins>, as ActiveMQ does', async () => {
    const b = await broker(null);
    expect((await connectFrame(b, { login: 'whoever', passcode: 'whatever' })).command).toBe('CONNECTED');
  });
});

describe('[ActiveMQ authorizationPlugin] SEND and SUBSCRIBE rights', () => {
  it('refuses a SEND without the write right with a non-fatal ERROR naming the destination, and stores nothing', async () => {
    const store = new MemoryPersistenceAdapter();
    const b = await broker(SECURED, store);
    const reader = await login(b, 'reader', 'pw');
    expect(await request(reader, 'SEND', { destination: '/queue/ORDERS.eu', persistent: 'true' }, 'x')).toBe('ERROR User reader is not authorized to write to: queue://ORDERS.eu');
    expect((await store.counts()).get('queue://ORDERS.eu') ?? 0).toBe(0);
    // The connection stays usable.
    expect(await request(reader, 'SUBSCRIBE', { destination: '/queue/ORDERS.eu', id: 's' })).toBe('ERROR User reader is not authorized to create: queue://ORDERS.eu');
  });

  it('needs admin to create a destination, as ActiveMQ does; write alone is enough once it exists', async () => {
    const b = await broker();
    const app = await login(b, 'app', 'pw');
    expect(await request(app, 'SEND', { destination: '/queue/ORDERS.eu' }, 'first')).toBe('ERROR User app is not authorized to create: queue://ORDERS.eu');
    const admin = await login(b, 'admin', 'secret');
    expect(await request(admin, 'SEND', { destination: '/queue/ORDERS.eu', persistent: 'true' }, 'by admin')).toBe('RECEIPT');
    expect(await request(app, 'SEND', { destination: '/queue/ORDERS.eu', persistent: 'true' }, 'by app')).toBe('RECEIPT');
    const reader = await login(b, 'reader', 'pw');
    expect(await request(reader, 'SUBSCRIBE', { destination: '/queue/ORDERS.eu', id: 's' })).toBe('RECEIPT');
    expect(await bodies(reader, 2)).toEqual(['by admin', 'by app']);
  });

  it('takes the union of every matching entry and refuses what no entry matches', async () => {
    const b = await broker();
    const app = await login(b, 'app', 'pw');
    expect(await request(app, 'SEND', { destination: '/queue/SCRATCH.a' }, 'x')).toBe('RECEIPT');
    // SCRATCH.* matches one element only; only the `>` entry (admins) matches SCRATCH.a.b.
    expect(await request(app, 'SEND', { destination: '/queue/SCRATCH.a.b' }, 'x')).toBe('ERROR User app is not authorized to write to: queue://SCRATCH.a.b');
    expect(await request(app, 'SUBSCRIBE', { destination: '/topic/anything', id: 't' })).toBe('ERROR User app is not authorized to read from: topic://anything');
    const admin = await login(b, 'admin', 'secret');
    expect(await request(admin, 'SEND', { destination: '/queue/SCRATCH.a.b' }, 'x')).toBe('RECEIPT');
  });
});

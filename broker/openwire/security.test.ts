import { afterEach, describe, expect, it } from 'vitest';
import type { SecurityConfig } from '../config/index.js';
import { SECURED as SHARED } from '../security/security.fixture.js';
import type { DataStructure } from './codec/marshal.js';
import { cmd, OpenWirePeer, startOpenWireBroker } from './test-client.fixture.js';

/** The shared users and rights, plus advisory and temporary-destination entries. */
const SECURED: SecurityConfig = {
  authentication: SHARED.authentication,
  authorization: {
    entries: [...(SHARED.authorization?.entries ?? []), { kind: 'topic', pattern: 'ActiveMQ.Advisory.>', read: ['admins', 'users'], write: [], admin: [] }],
    temp: { read: ['admins'], write: ['admins'], admin: ['admins'] },
  },
};

type Broker = Awaited<ReturnType<typeof startOpenWireBroker>>;
let broker: Broker | null = null;
const peers: OpenWirePeer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  await broker?.close();
  broker = null;
});

async function open(): Promise<OpenWirePeer> {
  const peer = await OpenWirePeer.connect((broker as Broker).port);
  peers.push(peer);
  peer.handshake();
  return peer;
}

async function login(conn: string, userName: string, password: string): Promise<OpenWirePeer> {
  const peer = await open();
  await peer.response(peer.send(cmd.connectionInfo(conn, false, { userName, password })));
  return peer;
}

const refused = (message: string) => ({ className: 'java.lang.SecurityException', message });

const advisoryConsumer = (conn: string): DataStructure => ({
  ...cmd.consumerInfo(conn, 'ActiveMQ.Advisory.TempQueue,ActiveMQ.Advisory.TempTopic'),
  consumerId: { type: 122, connectionId: conn, sessionId: 0, value: 99 },
  destination: { type: 101, physicalName: 'ActiveMQ.Advisory.TempQueue,ActiveMQ.Advisory.TempTopic' },
});

describe('OpenWire security plugins', () => {
  it('refuses a wrong password, an unknown user and a missing user name with SecurityException, then closes', async () => {
    broker = await startOpenWireBroker({}, SECURED);
    for (const [conn, login] of [
      ['ID:bad-pw', { userName: 'app', password: 'nope' }],
      ['ID:unknown', { userName: 'who', password: 'pw' }],
      ['ID:nobody', {}],
    ] as const) {
      const peer = await open();
      const id = peer.send(cmd.connectionInfo(conn, false, login));
      const answer = await peer.next('ExceptionResponse', (c) => c.correlationId === id);
      expect(answer.exception).toEqual(refused(`User name [${'userName' in login ? login.userName : 'null'}] or password is invalid.`));
      await peer.waitClosed();
    }
    // A refused connection holds nothing: the right password on the same ConnectionId gets in.
    await login('ID:bad-pw', 'app', 'pw');
  });

  it('checks write on ProducerInfo and on each send (admin when the queue is new); a refused send stores nothing', async () => {
    broker = await startOpenWireBroker({}, SECURED);
    const app = await login('ID:app', 'app', 'pw');
    // write to ORDERS.> but no admin there: the queue does not exist yet.
    let id = app.send(cmd.producerInfo('ID:app', 'ORDERS.eu'));
    expect((await app.next('ExceptionResponse', (c) => c.correlationId === id)).exception).toEqual(refused('User app is not authorized to create: queue://ORDERS.eu'));
    id = app.send(cmd.textMessage('ID:app', 'ORDERS.eu', 1));
    expect((await app.next('ExceptionResponse', (c) => c.correlationId === id)).exception).toEqual(refused('User app is not authorized to create: queue://ORDERS.eu'));
    id = app.send(cmd.textMessage('ID:app', 'ADMIN.only', 2));
    expect((await app.next('ExceptionResponse', (c) => c.correlationId === id)).exception).toEqual(refused('User app is not authorized to write to: queue://ADMIN.only'));
    // Once an admin has created it, app may write to it.
    const admin = await login('ID:admin', 'admin', 'secret');
    await admin.response(admin.send(cmd.textMessage('ID:admin', 'ORDERS.eu', 1)));
    await app.response(app.send(cmd.producerInfo('ID:app', 'ORDERS.eu')));
    await app.response(app.send(cmd.textMessage('ID:app', 'ORDERS.eu', 3)));
    expect(await broker.store.counts()).toEqual(new Map([['queue://ORDERS.eu', 2]]));
    // The connection stays usable after non-fatal refusals.
    expect(app.closed).toBe(false);
  });

  it('checks read on ConsumerInfo (admin when the queue is new)', async () => {
    broker = await startOpenWireBroker({}, SECURED);
    const reader = await login('ID:reader', 'reader', 'pw');
    let id = reader.send(cmd.consumerInfo('ID:reader', 'ORDERS.new'));
    expect((await reader.next('ExceptionResponse', (c) => c.correlationId === id)).exception).toEqual(refused('User reader is not authorized to create: queue://ORDERS.new'));
    id = reader.send(cmd.consumerInfo('ID:reader', 'SCRATCH.a'));
    expect((await reader.next('ExceptionResponse', (c) => c.correlationId === id)).exception).toEqual(refused('User reader is not authorized to read from: queue://SCRATCH.a'));
    const app = await login('ID:app', 'app', 'pw');
    await app.response(app.send(cmd.consumerInfo('ID:app', 'SCRATCH.a')));
    const admin = await login('ID:admin', 'admin', 'secret');
    await admin.response(admin.send(cmd.textMessage('ID:admin', 'ORDERS.new', 1)));
    await reader.response(reader.send(cmd.consumerInfo('ID:reader', 'ORDERS.new')));
    await reader.next('MessageDispatch');
  });

  it('the JMS client advisory consumer needs read on the ActiveMQ.Advisory topics; temporary queues need the temp entry admin', async () => {
    broker = await startOpenWireBroker({}, SECURED);
    const reader = await login('ID:reader', 'reader', 'pw');
    let id = reader.send(advisoryConsumer('ID:reader'));
    expect((await reader.next('ExceptionResponse', (c) => c.correlationId === id)).exception).toEqual(
      refused('User reader is not authorized to read from: topic://ActiveMQ.Advisory.TempQueue'),
    );
    const app = await login('ID:app', 'app', 'pw');
    await app.response(app.send(advisoryConsumer('ID:app')));
    const temp = { type: 102, physicalName: 'ID:app:1' };
    id = app.send({ type: 8, connectionId: { type: 120, value: 'ID:app' }, destination: temp, operationType: 0, timeout: 0, brokerPath: null });
    expect((await app.next('ExceptionResponse', (c) => c.correlationId === id)).exception).toEqual(refused('User app is not authorized to create: temp-queue://ID:app:1'));
    const admin = await login('ID:admin', 'admin', 'secret');
    await admin.response(admin.send(advisoryConsumer('ID:admin')));
    const adminTemp = { type: 102, physicalName: 'ID:admin:1' };
    await admin.response(admin.send({ type: 8, connectionId: { type: 120, value: 'ID:admin' }, destination: adminTemp, operationType: 0, timeout: 0, brokerPath: null }));
    // The advisory reaches app's advisory consumer, not a refused one.
    await app.next('MessageDispatch', (d) => ((d.message as DataStructure).dataStructure as DataStructure | null)?.destination !== undefined);
    expect(reader.received.some((c) => c.type === 21)).toBe(false);
  });

  it('without plugins every client and destination is allowed, credentials or not', async () => {
    broker = await startOpenWireBroker();
    const peer = await login('ID:open', 'anyone', 'anything');
    await peer.response(peer.send(cmd.producerInfo('ID:open', 'any.q')));
    await peer.response(peer.send(cmd.textMessage('ID:open', 'any.q', 1)));
    expect(await broker.store.counts()).toEqual(new Map([['queue://any.q', 1]]));
  });
});

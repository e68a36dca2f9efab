import net from 'node:net';
import { expect } from 'vitest';
import { Duplex } from 'node:stream';
import { createMessageBroker, type MessageBroker, type MessageBrokerOptions } from './index.js';
import { DEFAULT_LIMITS, type StompFrame, type StompVersion } from './frame.js';
import { FrameParser } from './parser.js';
import { readConnectorSettings } from '../config/connector-options.js';
import { encodeFrame } from './writer.js';
import { MemoryPersistenceAdapter } from '../store/memory/memory-persistence-adapter.js';
import { createSystemClock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';

/**
 * Test support for connection-level tests: a broker core reached through an in-memory duplex pair
 * (`connectPair`, what `RawClient` uses when given the broker) or a real `net.Server` on 127.0.0.1
 * (`port`, for third-party clients), and a raw STOMP client that records every frame it receives.
 *
 * In memory, bytes written on one end reach the other before the next macrotask, in write order
 * across connections too, so "nothing happened" is proven by a later RECEIPT (`barrier`), never by
 * sleeping.
 */
/** Waits end on the frame they wait for; this only guards against a hang (a busy 2-core machine can take seconds). */
const HANG_GUARD_MS = 20_000;

export interface TestBroker {
  broker: MessageBroker;
  store: MemoryPersistenceAdapter;
  port: number;
  /** A new connection to the broker over an in-memory duplex pair; returns the client's end. */
  connectPair(): Duplex;
  close(): Promise<void>;
}

/** Where a RawClient connects: a TCP port, or a test broker in memory. */
export type Endpoint = number | TestBroker;

/**
 * Two connected in-memory streams, like the two ends of a socket: what one writes the other reads;
 * ending or destroying one ends or destroys the other (Node 20 has no `duplexPair`).
 */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (peer: () => Duplex) =>
    new Duplex({
      allowHalfOpen: false,
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        peer().push(chunk);
        callback();
      },
      final(callback) {
        peer().push(null);
        callback();
      },
      destroy(error, callback) {
        const other = peer();
        if (!other.destroyed) other.destroy();
        callback(error);
      },
    });
  ends.push(make(() => ends[1]!), make(() => ends[0]!));
  return [ends[0]!, ends[1]!];
}

/** `connector`: URI options of the test connector, read as the server reads them (e.g. `maximumConnections`). */
export async function startTestBroker(
  overrides: Partial<MessageBrokerOptions> & { connector?: Record<string, string> } = {},
): Promise<TestBroker> {
  const store = new MemoryPersistenceAdapter();
  const { settings, problems } = readConnectorSettings(overrides.connector ?? {});
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  const broker = createMessageBroker({
    brokerName: 'test-broker',
    store,
    logger: silentLogger,
    clock: createSystemClock(),
    isServing: () => true,
    ...overrides,
  });
  const server = net.createServer((socket) =>
    broker.handleConnection(socket, { remoteAddress: socket.remoteAddress ?? '', connector: 'stomp', settings }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    broker,
    store: (overrides.store as MemoryPersistenceAdapter | undefined) ?? store,
    port,
    connectPair() {
      const [client, server] = duplexPair();
      broker.handleConnection(server, { remoteAddress: 'memory', connector: 'stomp', settings });
      return client;
    },
    async close() {
      await broker.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * One test file's broker and clients, all closed by `close()` (call it in `afterEach`): `open()`
 * starts the broker on first use, with `start(overrides)` for a broker of another shape.
 */
export class TestScope {
  broker: TestBroker | null = null;
  private readonly clients: RawClient[] = [];

  async start(overrides: Parameters<typeof startTestBroker>[0] = {}): Promise<TestBroker> {
    this.broker = await startTestBroker(overrides);
    return this.broker;
  }

  async open(version: StompVersion | null = '1.2', extra: Record<string, string> = {}): Promise<RawClient> {
    this.broker ??= await startTestBroker();
    const client = await RawClient.open(this.broker, version, extra);
    this.clients.push(client);
    return client;
  }

  /** A client opened some other way, to be closed with the rest. */
  track(client: RawClient): RawClient {
    this.clients.push(client);
    return client;
  }

  /** The broker the test started (throws if none did). */
  get started(): TestBroker {
    if (!this.broker) throw new Error('no broker started in this test');
    return this.broker;
  }

  async close(): Promise<void> {
    for (const client of this.clients.splice(0)) client.close();
    await this.broker?.close();
    this.broker = null;
  }
}

export class RawClient {
  readonly frames: StompFrame[] = [];
  closed = false;
  private readonly parser: FrameParser;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Duplex) {
    this.parser = new FrameParser(DEFAULT_LIMITS, (f) => this.frames.push(f), 'MESSAGE');
    this.parser.version = '1.2';
    socket.on('data', (chunk: Buffer) => {
      this.parser.push(chunk);
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => {});
  }

  static async connect(endpoint: Endpoint): Promise<RawClient> {
    if (typeof endpoint !== 'number') return new RawClient(endpoint.connectPair());
    const socket = net.connect(endpoint, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.setNoDelay(true);
    return new RawClient(socket);
  }

  /** Connects with STOMP `version` (null: no accept-version, i.e. 1.0) and waits for CONNECTED. */
  static async open(endpoint: Endpoint, version: StompVersion | null = '1.2', extra: Record<string, string> = {}): Promise<RawClient> {
    const client = await RawClient.connect(endpoint);
    const headers: Record<string, string> = { host: 'localhost', ...extra };
    if (version !== null) headers['accept-version'] = version;
    client.send('CONNECT', headers);
    await client.next('CONNECTED');
    return client;
  }

  send(command: string, headers: Record<string, string> = {}, body = '', version: StompVersion = '1.2'): void {
    this.socket.write(encodeFrame({ command, headers: Object.entries(headers), body: Buffer.from(body) }, version));
  }

  raw(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  /** Waits for the next not yet taken frame with this command (any command when omitted). */
  async next(command?: string, timeoutMs = HANG_GUARD_MS): Promise<StompFrame> {
    return this.nextOf(command === undefined ? null : [command], timeoutMs);
  }

  /** Waits for the next not yet taken frame with one of these commands (any when null). */
  async nextOf(commands: readonly string[] | null, timeoutMs = HANG_GUARD_MS): Promise<StompFrame> {
    const command = commands === null ? undefined : commands.join(' or ');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex((f) => commands === null || commands.includes(f.command));
      if (index >= 0) return this.frames.splice(index, 1)[0] as StompFrame;
      if (this.closed) throw new Error(`connection closed while waiting for ${command ?? 'a frame'}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${command ?? 'a frame'}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves once the connection closed; the timeout only guards against a hang. */
  async waitClosed(timeoutMs = HANG_GUARD_MS): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('connection still open')), timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** Sends a frame with a receipt; resolves with `RECEIPT` or `ERROR <message>`, whichever answers it. */
export async function request(c: RawClient, command: string, headers: Record<string, string>, body = ''): Promise<string> {
  c.send(command, { ...headers, receipt: 'r' }, body);
  const reply = await c.nextOf(['RECEIPT', 'ERROR']);
  return reply.command === 'ERROR' ? `ERROR ${reply.headers.get('message') ?? ''}` : reply.command;
}

/**
 * Proves the broker has handled everything written to it so far: a new in-memory connection sends
 * a frame with a receipt and waits for it. Bytes reach the broker in write order, so by then every
 * earlier frame of every connection was handled, and any frame it caused is already delivered.
 */
export async function barrier(broker: TestBroker): Promise<void> {
  // DISCONNECT with a receipt: answered in order, and it touches no destination.
  const probe = await RawClient.open(broker);
  probe.send('DISCONNECT', { receipt: 'barrier' });
  expect((await probe.next('RECEIPT')).headers.get('receipt-id')).toBe('barrier');
  probe.close();
}

/** The bodies of the next `n` MESSAGE frames. */
export async function bodies(c: RawClient, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await c.next('MESSAGE')).body.toString());
  return out;
}

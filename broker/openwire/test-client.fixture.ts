import net from 'node:net';
import { createMessageBroker, type MessageBroker } from '../stomp/index.js';
import { MemoryPersistenceAdapter } from '../store/memory/memory-persistence-adapter.js';
import { readConnectorSettings } from '../config/connector-options.js';
import type { SecurityConfig } from '../config/index.js';
import { createSystemClock } from '../util/clock.js';
import { createMemoryLogger } from '../util/log.js';
import { FrameReader } from './codec/frame-reader.js';
import { encodeCommand, readCommand, type DataStructure, type WireFormatInfo } from './codec/marshal.js';
import { TYPES } from './codec/specs.js';

/**
 * Test support for OpenWire connection tests: a broker core behind a real `net.Server` serving
 * OpenWire as a `tcp://` connector does, and a raw OpenWire peer that records every command.
 */
export async function startOpenWireBroker(connector: Record<string, string> = {}, security: SecurityConfig | null = null) {
  const store = new MemoryPersistenceAdapter();
  const { settings } = readConnectorSettings(connector);
  const logger = createMemoryLogger();
  const broker: MessageBroker = createMessageBroker({
    brokerName: 'ow-test',
    store,
    logger,
    clock: createSystemClock(),
    isServing: () => true,
    security,
  });
  const server = net.createServer((socket) =>
    broker.handleConnection(socket, { remoteAddress: socket.remoteAddress ?? '', connector: 'openwire', settings, openWire: true }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    broker,
    store,
    port,
    logs: logger.lines,
    async close() {
      await broker.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const V12 = { version: 12, stackTrace: false };

export class OpenWirePeer {
  readonly received: Array<DataStructure | WireFormatInfo> = [];
  closed = false;
  private waiters: Array<() => void> = [];
  private commandId = 0;

  private constructor(readonly socket: net.Socket) {
    const reader = new FrameReader(1 << 30, (body) => {
      const command = readCommand(body, V12);
      if (command !== null) this.received.push(command);
      this.wake();
    });
    socket.on('data', (chunk) => reader.push(chunk));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  static connect(port: number): Promise<OpenWirePeer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(new OpenWirePeer(socket)));
      socket.once('error', reject);
    });
  }

  /** The client's side of the handshake (version 12, loose encoding asked for off already). */
  handshake(): void {
    const properties = new Map([
      ['TightEncodingEnabled', { t: 'boolean', v: true }],
      ['CacheEnabled', { t: 'boolean', v: true }],
      ['MaxInactivityDuration', { t: 'long', v: 30000n }],
    ] as Array<[string, never]>);
    this.raw(encodeCommand({ type: 1, version: 12, properties }, V12));
  }

  /** Sends a command with the next commandId; returns that id. */
  send(command: DataStructure, responseRequired = true): number {
    const commandId = ++this.commandId;
    this.raw(encodeCommand({ ...command, commandId, responseRequired }, V12));
    return commandId;
  }

  raw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The first received command (after `from`) of the type name that matches. */
  async next(name: string, predicate: (c: DataStructure) => boolean = () => true, timeoutMs = 5000): Promise<DataStructure> {
    // Woken by each frame and by close; the timer only guards against a hang.
    let timedOut = false;
    const guard = setTimeout(() => {
      timedOut = true;
      this.wake();
    }, timeoutMs);
    try {
      for (;;) {
        const found = this.received.find((c) => c.type !== 1 && TYPES.get(c.type)?.name === name && predicate(c as DataStructure));
        if (found !== undefined) return found as DataStructure;
        if (this.closed || timedOut) throw new Error(`no ${name}; got ${this.received.map((c) => TYPES.get(c.type)?.name ?? c.type).join(', ')}${this.closed ? ' (closed)' : ''}`);
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    } finally {
      clearTimeout(guard);
    }
  }

  async response(commandId: number): Promise<DataStructure> {
    return this.next('Response', (c) => c.correlationId === commandId);
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error('connection still open')), timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(guard);
        resolve();
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Builders of the commands a JMS client sends, for connection id `conn`. */
export const cmd = {
  connectionInfo: (conn: string, failoverReconnect = false, login: { userName?: string; password?: string } = {}): DataStructure => ({
    type: 3,
    connectionId: { type: 120, value: conn },
    clientId: null,
    failoverReconnect,
    userName: login.userName ?? null,
    password: login.password ?? null,
  }),
  sessionInfo: (conn: string, session: number): DataStructure => ({ type: 4, sessionId: { type: 121, connectionId: conn, value: session } }),
  producerInfo: (conn: string, queue: string): DataStructure => ({
    type: 6,
    producerId: { type: 123, connectionId: conn, value: 1, sessionId: 1 },
    destination: { type: 100, physicalName: queue },
  }),
  consumerInfo: (conn: string, queue: string, prefetch = 1000): DataStructure => ({
    type: 5,
    consumerId: { type: 122, connectionId: conn, sessionId: 1, value: 1 },
    destination: { type: 100, physicalName: queue },
    prefetchSize: prefetch,
  }),
  textMessage: (conn: string, queue: string, seq: number, persistent = true): DataStructure => ({
    type: 23,
    producerId: { type: 123, connectionId: conn, value: 1, sessionId: 1 },
    destination: { type: 100, physicalName: queue },
    messageId: { type: 110, textView: null, producerId: { type: 123, connectionId: conn, value: 1, sessionId: 1 }, producerSequenceId: seq, brokerSequenceId: 0 },
    persistent,
    priority: 4,
  }),
};

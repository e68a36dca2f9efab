import net from 'node:net';
import type { Duplex } from 'node:stream';
import { DEFAULT_LIMITS } from '../stomp/frame.js';
import type { StompFrame } from '../stomp/frame.js';
import { FrameParser } from '../stomp/parser.js';
import { HEART_BEAT, encodeFrame } from '../stomp/writer.js';
import { loadWs } from '../util/cjs.js';
import { ClientError } from './client-errors.js';
import type { BrokerUri } from './failover-uri.js';

export type Headers = ReadonlyArray<readonly [string, string]>;

export interface OpenOptions {
  clientId: string | null;
}

/**
 * One STOMP 1.2 connection to one broker: TCP or WebSocket, CONNECT/CONNECTED within the URI's
 * `connectionTimeout`, heart-beats when `wireFormat.maxInactivityDuration` is set (so a paused broker,
 * whose socket stays open, is noticed). The failover client replaces it whole when it breaks.
 */
export class StompConnection {
  onFrame: (frame: StompFrame) => void = () => {};
  onClose: (reason: string) => void = () => {};
  private closed = false;
  private lastReadMs = performance.now();
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    readonly broker: BrokerUri,
    private readonly stream: Duplex,
  ) {}

  static open(broker: BrokerUri, options: OpenOptions): Promise<StompConnection> {
    return new Promise((resolve, reject) => {
      const stream = broker.scheme === 'ws' ? openWebSocket(broker) : net.connect({ host: broker.host, port: broker.port, noDelay: true });
      const connection = new StompConnection(broker, stream);
      let settled = false;
      const fail = (reason: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        connection.destroy(reason);
        reject(new ClientError('BROKER', `${broker.uri}: ${reason}`));
      };
      const deadline = setTimeout(() => fail(`no CONNECTED within ${broker.options.connectionTimeout} ms`), broker.options.connectionTimeout);
      const parser = new FrameParser(DEFAULT_LIMITS, (frame) => {
        connection.lastReadMs = performance.now();
        if (settled) {
          connection.onFrame(frame);
          return;
        }
        if (frame.command !== 'CONNECTED') {
          fail(`${frame.command}: ${frame.headers.get('message') ?? frame.body.toString('utf8')}`);
          return;
        }
        settled = true;
        clearTimeout(deadline);
        parser.version = '1.2';
        connection.startHeartBeats(frame.headers.get('heart-beat') ?? '0,0');
        resolve(connection);
      }, 'MESSAGE');
      stream.on('data', (chunk: Buffer) => {
        connection.lastReadMs = performance.now();
        try {
          parser.push(chunk);
        } catch (error) {
          connection.destroy(`bad frame from broker: ${(error as Error).message}`);
        }
      });
      stream.on('error', (error: Error) => (settled ? connection.destroy(error.message) : fail(error.message)));
      stream.on('close', () => (settled ? connection.destroy('connection closed') : fail('connection closed')));
      const d = broker.options.maxInactivityDuration;
      const headers: Array<[string, string]> = [
        ['accept-version', '1.2'],
        ['host', broker.host],
        ['heart-beat', `${d},${d}`],
      ];
      if (options.clientId !== null) headers.push(['client-id', options.clientId]);
      if (broker.options.login !== null) headers.push(['login', broker.options.login]);
      if (broker.options.passcode !== null) headers.push(['passcode', broker.options.passcode]);
      const write = () => stream.write(encodeFrame({ command: 'CONNECT', headers }, '1.0'));
      if (broker.scheme === 'ws') write();
      else stream.once('connect', write);
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  write(command: string, headers: Headers, body?: Buffer): void {
    if (this.closed) return;
    this.stream.write(encodeFrame({ command, headers, ...(body ? { body } : {}) }, '1.2'));
  }

  /** Closes at once (no DISCONNECT): what a crash looks like to the broker. */
  destroy(reason = 'closed by the client'): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.stream.destroy();
    this.onClose(reason);
  }

  /** DISCONNECT, then close. */
  disconnect(): void {
    this.write('DISCONNECT', []);
    this.stream.end();
    this.destroy('disconnected');
  }

  /** [STOMP-1.2 heart-beating]: we send every `cx` ms and expect bytes every `cy` ms (grace ×2). */
  private startHeartBeats(answer: string): void {
    // CONNECTED's `sx,sy`: the broker sends every sx ms and wants something from us every sy ms.
    const [sx = 0, sy = 0] = answer.split(',').map((n) => Number(n) || 0);
    const d = this.broker.options.maxInactivityDuration;
    if (d <= 0) return;
    const sendEveryMs = sy > 0 ? Math.max(d, sy) : d;
    const expectEveryMs = sx > 0 ? Math.max(d, sx) : 0;
    let lastSentMs = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      if (expectEveryMs > 0 && now - this.lastReadMs > expectEveryMs * 2) {
        this.destroy(`no data from the broker for ${Math.round(now - this.lastReadMs)} ms`);
        return;
      }
      if (now - lastSentMs >= sendEveryMs) {
        this.stream.write(HEART_BEAT);
        lastSentMs = now;
      }
    }, Math.max(10, Math.floor(d / 4)));
    this.timer.unref();
  }
}

function openWebSocket(broker: BrokerUri): Duplex {
  const { WebSocket, createWebSocketStream } = loadWs();
  const socket = new WebSocket(`ws://${broker.host}:${broker.port}/`, ['v12.stomp']);
  return createWebSocketStream(socket);
}

import type { Duplex } from 'node:stream';
import type { SecurityContext } from '../security/index.js';
import { DEFAULT_CONNECTOR_SETTINGS, type ConnectorSettings } from '../config/connector-options.js';
import { stompNameFor } from '../destination/destination-name.js';
import type { InflightEntry, Subscription, SubscriptionSink } from '../destination/subscription.js';
import { ProtocolError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import type { BrokerCore } from '../core/index.js';
import { CLIENT_COMMANDS, type OutgoingFrame, type StompFrame, type StompVersion } from './frame.js';
import { handlers, type Step } from './handlers/index.js';
import { HeartBeatMonitor, type HeartBeatIntervals } from './heartbeat.js';
import { messageFrame } from './message-frame.js';
import { looksLikeOpenWire, mayBeOpenWirePrefix } from './openwire.js';
import { FrameParser } from './parser.js';
import { FatalProtocolError } from './protocol-error.js';
import { Session } from './session.js';
import { encodeFrame, HEART_BEAT } from './writer.js';

export interface ConnectionInfo {
  remoteAddress: string;
  /** The connector's name: `maximumConnections` counts per name. */
  connector: string;
  /** The connector's URI options (limits, heart-beat defaults); the defaults when absent. */
  settings?: ConnectorSettings;
  /** The connector also serves OpenWire (`tcp`, `nio`, `auto`); false on `stomp://` and `ws://`. */
  openWire?: boolean;
}

/**
 * One client connection over any duplex stream (aedes-style: transports stay outside). Frames are
 * handled in arrival order: a handler may start store work at once (so concurrent SENDs are
 * group-committed), but its effects (dispatch, RECEIPT, ERROR) apply strictly in frame order.
 */
export class StompConnection implements SubscriptionSink {
  readonly connectionId: string;
  readonly session: Session;
  readonly log: Logger;
  version: StompVersion = '1.0';
  connected = false;
  /** The CONNECT `client-id`, else the connection id (ActiveMQ); it scopes durable subscriptions. */
  clientId = '';
  /** Who authenticated at CONNECT (`login`), for authorization; set once CONNECT is accepted. */
  security: SecurityContext = { userName: '', groups: new Set() };
  private readonly parser: FrameParser;
  private firstBytes: Buffer | null = Buffer.alloc(0);
  private chain: Promise<void> = Promise.resolve();
  private pendingSteps = 0;
  private corked = false;
  private closed = false;
  private lastReadAt: number;
  private lastWriteAt: number;
  private heartBeat: HeartBeatMonitor | null = null;
  private ackSeq = 0;
  /** Frames that failed like the one last logged, in this turn of the event loop (see frameFailed). */
  private repeatedFailures: { command: string; error: string; count: number } | null = null;
  readonly settings: ConnectorSettings;

  constructor(
    readonly core: BrokerCore,
    private readonly stream: Duplex,
    readonly info: ConnectionInfo,
    private readonly onClosed: (connection: StompConnection) => void,
  ) {
    this.connectionId = `${core.idPrefix}:${core.nextConnectionNumber()}`;
    this.session = new Session(this);
    this.log = core.options.logger.child({ connectionId: this.connectionId, remoteAddress: info.remoteAddress });
    this.lastReadAt = this.lastWriteAt = core.options.clock.monotonic();
    this.settings = info.settings ?? DEFAULT_CONNECTOR_SETTINGS;
    this.parser = new FrameParser(this.settings.wireFormat, (frame) => this.onFrame(frame));
    this.listeners = [
      ['data', (chunk: Buffer) => this.onData(chunk)],
      ['drain', () => this.session.wakeUpAll()],
      ['error', (err: unknown) => this.log.log('debug', 'transport error', { error: String(err) })],
      ['close', () => this.cleanUp()],
      ['end', () => this.close()],
    ];
    for (const [event, listener] of this.listeners) stream.on(event, listener);
  }

  private readonly listeners: Array<[string, Parameters<Duplex['on']>[1]]>;

  private onData(chunk: Buffer): void {
    this.lastReadAt = this.core.options.clock.monotonic();
    if (this.firstBytes !== null) {
      const head = Buffer.concat([this.firstBytes, chunk]);
      if (mayBeOpenWirePrefix(head)) {
        this.firstBytes = head;
        return;
      }
      this.firstBytes = null;
      if (looksLikeOpenWire(head)) {
        const handOff = this.core.openWireHandOff;
        if (handOff !== null && this.info.openWire === true) {
          // The stream now belongs to an OpenWire connection: this one lets go of it without closing it.
          for (const [event, listener] of this.listeners) this.stream.off(event, listener);
          this.parser.stop();
          this.cleanUp();
          handOff(this.stream, this.info, head);
          return;
        }
        this.log.log('warn', 'OpenWire is not served on this connector; use STOMP', { connector: this.info.connector });
        this.destroy();
        return;
      }
      chunk = head;
    }
    try {
      this.parser.push(chunk);
    } catch (err) {
      this.fail(err, null);
    }
  }

  private onFrame(frame: StompFrame): void {
    const command = frame.command;
    let step: Step;
    try {
      if (!this.connected && command !== 'CONNECT' && command !== 'STOMP') {
        throw new FatalProtocolError(
          CLIENT_COMMANDS.has(command)
            ? `Received an unexpected frame before CONNECT or STOMP frame: ${command}`
            : `Unknown STOMP action: ${command}`,
        );
      }
      const handler = handlers[command];
      if (handler === undefined) throw new FatalProtocolError(`Unknown STOMP action: ${command}`);
      step = handler(this, frame);
    } catch (err) {
      this.fail(err, frame);
      return;
    }
    this.run(step, frame);
  }

  /** Applies `step` after every earlier frame's step: at once when nothing is pending. */
  private run(step: Step, frame: StompFrame): void {
    if (this.pendingSteps === 0 && typeof step === 'function') {
      this.apply(step, frame);
      return;
    }
    this.pendingSteps++;
    const ready = typeof step === 'function' ? Promise.resolve(step) : step;
    this.chain = this.chain
      .then(() => ready)
      .then(
        (finish) => this.apply(finish, frame),
        (err: unknown) => this.stepFailed(err, frame),
      )
      .finally(() => {
        this.pendingSteps--;
      });
  }

  private apply(finish: () => void, frame: StompFrame): void {
    if (this.closed) return;
    try {
      finish();
    } catch (err) {
      this.stepFailed(err, frame);
    }
  }

  private stepFailed(err: unknown, frame: StompFrame): void {
    if (err instanceof ProtocolError) {
      this.sendError(err, frame);
      if (err instanceof FatalProtocolError) this.close();
      return;
    }
    // Store failures were reported to the server (onStoreFailure); the frame gets no RECEIPT.
    this.frameFailed(frame.command, String(err));
  }

  /**
   * Logs a failed frame. A failed group commit fails every frame it carried at once (a pipelining
   * producer: up to its whole window): the first is logged, the rest of that turn as one count.
   */
  private frameFailed(command: string, error: string): void {
    const current = this.repeatedFailures;
    if (current !== null && current.error === error && current.command === command) {
      current.count++;
      return;
    }
    this.reportRepeatedFailures();
    this.log.log('warn', 'frame failed', { command, error });
    this.repeatedFailures = { command, error, count: 0 };
    // A record pending means its report is already scheduled for the end of this turn.
    if (current === null) setImmediate(() => this.reportRepeatedFailures());
  }

  private reportRepeatedFailures(): void {
    const done = this.repeatedFailures;
    this.repeatedFailures = null;
    if (done === null || done.count === 0) return;
    this.log.log('warn', `${done.count} more ${done.command} frames failed the same way`, { command: done.command, error: done.error, frames: done.count });
  }

  /** A protocol error: the ERROR goes out after earlier frames' effects; a fatal one stops reading. */
  private fail(err: unknown, frame: StompFrame | null): void {
    const error = err instanceof ProtocolError ? err : new FatalProtocolError(String(err));
    if (!(error instanceof FatalProtocolError) && frame !== null) {
      this.run(() => this.stepFailed(error, frame), frame);
      return;
    }
    this.parser.stop();
    const report = () => {
      this.sendError(error, frame);
      this.close();
    };
    if (this.pendingSteps === 0) report();
    else this.chain = this.chain.then(report);
  }

  sendError(err: ProtocolError, frame: StompFrame | null): void {
    this.log.log('warn', 'Exception occurred processing', { command: frame?.command ?? null, error: err.message });
    const headers: Array<[string, string]> = [
      ['message', err.message],
      ['content-type', 'text/plain'],
    ];
    const receipt = frame?.headers.get('receipt');
    if (receipt !== undefined) headers.push(['receipt-id', receipt]);
    this.write({ command: 'ERROR', headers, body: Buffer.from(err.details ?? err.message) });
  }

  sendReceipt(frame: StompFrame): void {
    const receipt = frame.headers.get('receipt');
    if (receipt !== undefined) this.write({ command: 'RECEIPT', headers: [['receipt-id', receipt]] });
  }

  /** Every write goes through here: dropped once this broker may no longer act as master. */
  write(frame: OutgoingFrame): void {
    this.writeBytes(encodeFrame(frame, this.version));
  }

  private writeBytes(bytes: Buffer): void {
    if (this.closed || this.core.silenced || !this.core.options.isServing()) return;
    if (!this.corked) {
      // Frames produced in one tick leave in one write (cork/uncork batching).
      this.corked = true;
      this.stream.cork();
      process.nextTick(() => {
        this.corked = false;
        this.stream.uncork();
      });
    }
    this.lastWriteAt = this.core.options.clock.monotonic();
    this.stream.write(bytes);
  }

  startHeartBeat(intervals: HeartBeatIntervals): void {
    const clock = this.core.options.clock;
    this.heartBeat = new HeartBeatMonitor(intervals, this.settings.hbGracePeriodMultiplier, {
      sinceRead: () => clock.monotonic() - this.lastReadAt,
      sinceWrite: () => clock.monotonic() - this.lastWriteAt,
      sendBeat: () => this.writeBytes(HEART_BEAT),
      missed: () => {
        this.log.log('warn', 'No data received from the client within the heart-beat interval; closing', {
          readMs: intervals.readMs,
        });
        this.destroy();
      },
    });
    this.heartBeat.start();
  }

  switchVersion(version: StompVersion): void {
    this.version = version;
    this.parser.version = version;
  }

  // SubscriptionSink
  writable(): boolean {
    return !this.closed && !this.stream.writableNeedDrain;
  }

  nextAckId(): string {
    return `${this.connectionId}:${++this.ackSeq}`;
  }

  deliver(subscription: Subscription, entry: InflightEntry, redelivered: boolean): void {
    const ackId = this.version === '1.2' && entry.ackId !== '' ? entry.ackId : null;
    if (ackId !== null) this.session.ackIds.set(ackId, { subscription, messageId: entry.message.messageId });
    const name = entry.message.destination;
    const destination = name.temp ? stompNameFor(name, this.connectionId) : name.stomp;
    this.write(messageFrame(entry.message, destination, subscription.id, ackId, redelivered));
  }

  /** Stops reading; ends the stream once what was written has been flushed. */
  close(): void {
    this.parser.stop();
    if (this.closed) return;
    this.cleanUp();
    this.stream.end();
  }

  /** At once, nothing more written (missed heart-beats, OpenWire, lost mastership). */
  destroy(): void {
    this.parser.stop();
    this.cleanUp();
    this.stream.destroy();
  }

  private cleanUp(): void {
    if (this.closed) return;
    this.closed = true;
    this.heartBeat?.stop();
    this.session.release();
    this.onClosed(this);
  }
}

import type { Duplex } from 'node:stream';
import { DEFAULT_CONNECTOR_SETTINGS } from '../config/connector-options.js';
import type { InflightEntry, Subscription, SubscriptionSink } from '../destination/subscription.js';
import type { BrokerCore } from '../core/index.js';
import type { SecurityContext } from '../security/index.js';
import type { ConnectionInfo } from '../stomp/connection.js';
import type { Logger } from '../util/log.js';
import { OpenWireError } from './codec/errors.js';
import { FrameReader } from './codec/frame-reader.js';
import { encodeCommand, isWireFormatInfo, readCommand, type DataStructure, type MarshalContext } from './codec/marshal.js';
import { TYPES } from './codec/specs.js';
import { handlers, type Deferred, type Step } from './handlers/index.js';
import { JmsError } from './jms-error.js';
import { toWireDestination } from './ids.js';
import { toWireMessage } from './message-map.js';
import { InactivityMonitor } from './inactivity.js';
import { OpenWireState } from './state.js';
import { brokerWireFormat, DEFAULT_WIRE_FORMAT, negotiate, type WireFormatSettings } from './wire-format.js';

/** Open OpenWire connections per broker core by client ConnectionId: a failover reconnect replaces a stale socket. */
const byClientConnectionId = new WeakMap<BrokerCore, Map<string, OpenWireConnection>>();

/**
 * One OpenWire (ActiveMQ JMS client) connection over a duplex stream. Commands are handled in
 * arrival order; a handler may start store work at once, but its effects (dispatch, Response)
 * apply strictly in command order, as on the STOMP side.
 */
export class OpenWireConnection implements SubscriptionSink {
  readonly log: Logger;
  readonly state: OpenWireState;
  readonly wireSettings: WireFormatSettings;
  ctx: MarshalContext = { version: 12, stackTrace: false };
  /** Who ConnectionInfo authenticated; until then nobody, refused by any authorization map. */
  security: SecurityContext = { userName: '', groups: new Set() };
  private negotiated = false;
  private readonly reader: FrameReader;
  private chain: Promise<void> = Promise.resolve();
  private pendingSteps = 0;
  private corked = false;
  private closed = false;
  private readonly monitor: InactivityMonitor;
  private brokerSequence = 0;

  constructor(
    readonly core: BrokerCore,
    private readonly stream: Duplex,
    readonly info: ConnectionInfo,
    firstBytes: Buffer,
    private readonly onClosed: (connection: OpenWireConnection) => void,
  ) {
    const settings = info.settings ?? DEFAULT_CONNECTOR_SETTINGS;
    // The connector's limit when one is set; else ActiveMQ's broker-side 100 MiB.
    const maxFrameSize = settings.wireFormat.maxFrameSize < Number.MAX_SAFE_INTEGER ? settings.wireFormat.maxFrameSize : DEFAULT_WIRE_FORMAT.maxFrameSize;
    this.wireSettings = {
      maxFrameSize,
      maxInactivityDuration: settings.maxInactivityDuration ?? DEFAULT_WIRE_FORMAT.maxInactivityDuration,
      maxInactivityDurationInitialDelay: settings.maxInactivityDurationInitalDelay ?? DEFAULT_WIRE_FORMAT.maxInactivityDurationInitialDelay,
    };
    this.log = core.options.logger.child({ protocol: 'openwire', remoteAddress: info.remoteAddress, connector: info.connector });
    this.state = new OpenWireState(this);
    this.monitor = new InactivityMonitor(core.options.clock, {
      keepAlive: () => this.write({ type: 10, commandId: 0, responseRequired: false }),
      inactive: (ms) => {
        this.log.log('warn', `Channel was inactive for too (>${ms}) long; closing`, { inactivityMs: ms });
        this.destroy();
      },
    });
    this.reader = new FrameReader(maxFrameSize, (body) => this.onFrame(body));
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('drain', () => this.state.wakeUpAll());
    stream.on('error', (err) => this.log.log('debug', 'transport error', { error: String(err) }));
    stream.on('close', () => this.cleanUp());
    stream.on('end', () => this.close());
    // ActiveMQ sends its WireFormatInfo right after accept; here the connector first needed the
    // client's first bytes to tell OpenWire from STOMP, and the client sends its own at once anyway.
    this.write(brokerWireFormat(this.wireSettings));
    this.onData(firstBytes);
  }

  get clientConnectionId(): string | null {
    return this.state.connectionId;
  }

  private onData(chunk: Buffer): void {
    if (chunk.length === 0 || this.closed) return;
    this.monitor.read();
    try {
      this.reader.push(chunk);
    } catch (err) {
      this.fatal(err);
    }
  }

  private onFrame(body: Buffer): void {
    const command = readCommand(body, this.ctx);
    if (command === null) return;
    if (isWireFormatInfo(command)) {
      const agreed = negotiate(command, this.wireSettings);
      this.ctx = { version: agreed.version, stackTrace: false };
      this.reader.maxFrameSize = agreed.maxFrameSize;
      this.negotiated = true;
      this.monitor.start(agreed.inactivityMs, agreed.initialDelayMs);
      this.write(this.brokerInfo());
      return;
    }
    if (!this.negotiated) throw new OpenWireError(`${TYPES.get(command.type)?.name ?? command.type} before WireFormatInfo`);
    const handler = handlers.get(command.type);
    let step: Step;
    try {
      if (handler === undefined) throw new JmsError('java.lang.UnsupportedOperationException', `Unsupported command: ${TYPES.get(command.type)?.name ?? command.type}`);
      step = handler(this, command);
    } catch (err) {
      step = () => this.refuse(command, err);
    }
    this.run(step, command);
  }

  private brokerInfo(): DataStructure {
    const name = this.core.options.brokerName;
    return {
      type: 2,
      commandId: 0,
      responseRequired: false,
      brokerId: { type: 124, value: this.core.idPrefix },
      brokerUrl: null,
      peerBrokerInfos: null,
      brokerName: name,
      slaveBroker: false,
      masterBroker: false,
      faultTolerantConfiguration: false,
      duplexConnection: false,
      networkConnection: false,
      connectionId: 0,
      brokerUploadUrl: null,
      networkProperties: null,
    };
  }

  /** Applies `step` after every earlier command's step: at once when nothing is pending. */
  private run(step: Step, command: DataStructure): void {
    if (this.pendingSteps === 0 && typeof step === 'function') {
      this.apply(step, command);
      return;
    }
    this.pendingSteps++;
    const ready = typeof step === 'function' || step instanceof Promise ? Promise.resolve(step) : null;
    this.chain = this.chain
      .then(() => ready ?? (step as Deferred).deferred())
      .then(
        (finish) => this.apply(finish, command),
        (err: unknown) => this.refuse(command, err),
      )
      .finally(() => {
        this.pendingSteps--;
      });
  }

  private apply(finish: () => void, command: DataStructure): void {
    if (this.closed) return;
    try {
      finish();
    } catch (err) {
      this.refuse(command, err);
    }
  }

  /** A command failed: ExceptionResponse when it wanted a response, else a ConnectionError. */
  private refuse(command: DataStructure, err: unknown): void {
    const javaClass = err instanceof JmsError ? err.javaClass : 'javax.jms.JMSException';
    const message = err instanceof Error ? err.message : String(err);
    this.log.log('warn', 'command failed', { command: TYPES.get(command.type)?.name ?? command.type, error: message });
    const exception = { className: javaClass, message };
    if (command.responseRequired === true) {
      this.write({ type: 31, commandId: 0, responseRequired: false, correlationId: command.commandId, exception });
    } else {
      this.write({ type: 16, commandId: 0, responseRequired: false, exception, connectionId: null });
    }
    if (err instanceof JmsError && err.closesConnection) this.close();
  }

  /** Undecodable input: one log line, a ConnectionError where it can still be sent, then close. */
  private fatal(err: unknown): void {
    this.reader.stop();
    const message = err instanceof Error ? err.message : String(err);
    this.log.log('warn', `closing OpenWire connection: ${message}`, { error: message });
    const report = () => {
      if (this.negotiated) this.write({ type: 16, commandId: 0, responseRequired: false, exception: { className: 'java.io.IOException', message }, connectionId: null });
      this.close();
    };
    if (this.pendingSteps === 0) report();
    else this.chain = this.chain.then(report);
  }

  respond(command: DataStructure): void {
    if (command.responseRequired === true) this.write({ type: 30, commandId: 0, responseRequired: false, correlationId: command.commandId });
  }

  /** Every write goes through here: dropped once this broker may no longer act as master. */
  write(command: DataStructure | ReturnType<typeof brokerWireFormat>): void {
    if (this.closed || this.core.silenced || !this.core.options.isServing()) return;
    const bytes = encodeCommand(command, this.ctx);
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      process.nextTick(() => {
        this.corked = false;
        this.stream.uncork();
      });
    }
    this.monitor.wrote();
    this.stream.write(bytes);
  }

  /** Every open OpenWire connection of this broker that sent its ConnectionInfo. */
  static openConnections(core: BrokerCore): Iterable<OpenWireConnection> {
    return byClientConnectionId.get(core)?.values() ?? [];
  }

  /** Registers the client's ConnectionId; a connection still holding it (a dead socket before failover) is dropped first. */
  claimConnectionId(id: string): void {
    let open = byClientConnectionId.get(this.core);
    if (open === undefined) byClientConnectionId.set(this.core, (open = new Map()));
    const stale = open.get(id);
    if (stale !== undefined && stale !== this) {
      this.log.log('info', 'a reconnecting client replaces its stale connection', { clientConnectionId: id });
      stale.destroy();
    }
    open.set(id, this);
  }

  // SubscriptionSink
  writable(): boolean {
    return !this.closed && !this.stream.writableNeedDrain;
  }

  nextAckId(): string {
    return '';
  }

  deliver(subscription: Subscription, entry: InflightEntry): void {
    const consumer = this.state.consumerOf(subscription);
    if (consumer === undefined) return;
    const message = entry.message;
    const wire = toWireMessage(message, this.state.connectionId ?? '');
    const brokerSequenceId = ++this.brokerSequence;
    (wire.messageId as DataStructure).brokerSequenceId = brokerSequenceId;
    consumer.dispatched.set(message, brokerSequenceId);
    this.write({
      type: 21,
      commandId: 0,
      responseRequired: false,
      consumerId: consumer.info.consumerId,
      destination: toWireDestination(message.destination),
      message: wire,
      redeliveryCounter: message.redeliveryCounter,
    });
  }

  /** Stops reading; ends the stream once what was written has been flushed. */
  close(): void {
    this.reader.stop();
    if (this.closed) return;
    this.cleanUp();
    this.stream.end();
  }

  /** At once, nothing more written (inactivity, lost mastership, replaced by a reconnect). */
  destroy(): void {
    this.reader.stop();
    this.cleanUp();
    this.stream.destroy();
  }

  private cleanUp(): void {
    if (this.closed) return;
    this.closed = true;
    this.monitor.stop();
    const id = this.state.connectionId;
    const open = byClientConnectionId.get(this.core);
    if (id !== null && open?.get(id) === this) open.delete(id);
    this.state.release();
    this.onClosed(this);
  }
}

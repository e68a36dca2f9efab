import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BrokerConfig } from '../config/broker-config.js';
import type { Locker, Acquired } from '../lock/locker.js';
import type { PersistenceAdapter, Durability } from '../store/persistence-adapter.js';
import type { MessageBroker } from '../stomp/index.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { BrokerState, ConnectorStatus, StatusLine } from './status.js';
import { createLocker, LockKeeper } from '../lock/index.js';
import { createPersistenceAdapter, MemoryPersistenceAdapter } from '../store/index.js';
import { sleep } from '../util/clock.js';
import { FencedError, LockError } from '../util/errors.js';
import { roleOf, EXIT } from './status.js';
import { openConnectors, type OpenConnector } from './connectors.js';
import { withSimulatedFailure } from './simulated-failure.js';

export interface BrokerServiceOptions {
  config: BrokerConfig;
  durability: Durability;
  clock: Clock;
  logger: Logger;
  emitStatus(line: StatusLine): void;
  /** Called once the lock is ours (or no lock is used), before the master recovers its store. */
  beforeMaster?: () => void;
}

/**
 * One broker: config → store + locker → (master) STOMP connectors (docs/design.md, Broker lifecycle):
 * `starting → waiting-for-lock → master → stopping → stopped`. A slave opens no port. Losing the
 * lock or the store closes every connector at once and ends with `EXIT.lockLost`.
 */
export class BrokerService {
  private state: BrokerState = 'starting';
  private readonly abort = new AbortController();
  private store: PersistenceAdapter | null = null;
  private locker: Locker | null = null;
  private keeper: LockKeeper | null = null;
  private core: MessageBroker | null = null;
  private connectors: OpenConnector[] = [];
  private lock: StatusLine['lock'] = null;
  private finishing: Promise<number> | null = null;
  private databaseFailing = false;
  private resolveExit!: (code: number) => void;
  /** Resolves with the process exit code once the broker has stopped, for whatever reason. */
  readonly exited: Promise<number> = new Promise((resolve) => (this.resolveExit = resolve));

  constructor(private readonly options: BrokerServiceOptions) {}

  get currentState(): BrokerState {
    return this.state;
  }

  /** Runs the lifecycle up to master (or until stopped). Failures end in `exited`, never in a throw. */
  async start(): Promise<void> {
    try {
      await this.run();
    } catch (error) {
      if (this.abort.signal.aborted) return;
      if (error instanceof LockError && this.options.config.persistence.locker.failIfLocked) {
        this.options.logger.log('error', 'lock is held by another broker and failIfLocked is set', { error: String(error.message) });
        void this.finish(EXIT.locked, 'failIfLocked');
        return;
      }
      this.options.logger.log('error', 'broker failed', { error: errorText(error) });
      void this.finish(EXIT.failure, errorText(error));
    }
  }

  /** The lab's simulated "database lost" fault (SQLite has no link to cut). */
  simulateDatabaseFailure(failing: boolean): void {
    this.databaseFailing = failing;
    this.store?.simulateFailure(failing);
    this.options.logger.log('warn', failing ? 'simulated database failure: on' : 'simulated database failure: off', { fault: 'db-failure', simulated: true });
  }

  /** The lab's Store view: purges a queue's waiting messages; only a master has them. */
  async purge(destination: string): Promise<number> {
    if (this.state !== 'master' || !this.core) throw new Error(`cannot purge ${destination}: ${this.options.config.brokerName} is not the master (${this.state})`);
    const purged = await this.core.purge(destination);
    this.options.logger.log('info', `purged ${purged} messages from ${destination}`, { destination, purged });
    return purged;
  }

  /** Prints the current status line again (the lab asks after it attached). */
  reportStatus(): void {
    this.emit();
  }

  /** Clean stop (SIGTERM): closes connectors, drains the store, releases the lock. Idempotent. */
  stop(reason = 'stop requested'): Promise<number> {
    return this.finish(EXIT.ok, reason);
  }

  private async run(): Promise<void> {
    const { config, logger } = this.options;
    const signal = this.abort.signal;
    this.emit();
    const store = await this.createStore();
    this.store = store;
    await this.retryUntilReady('store', () => store.start());

    const lockless = !config.persistent || !config.persistence.useLock;
    let acquired: Acquired | null = null;
    if (lockless) {
      logger.log('warn', config.persistent ? 'useLock is false: every broker acts as master' : 'persistent is false: memory store, no lock');
    } else {
      const locker = withSimulatedFailure(
        await createLocker(config.persistence, { brokerName: config.brokerName, clock: this.options.clock, logger }),
        () => this.databaseFailing,
      );
      this.locker = locker;
      await this.retryUntilReady('locker', () => locker.start());
      this.setState('waiting-for-lock', await this.inspectLock());
      logger.log('info', 'waiting for the exclusive lock', { lock: 'ACTIVEMQ_LOCK', locker: locker.kind, holderId: locker.holderId });
      acquired = await locker.acquire(signal);
      if (signal.aborted) return;
      this.keeper = new LockKeeper({
        locker,
        clock: this.options.clock,
        logger,
        renewPeriodMs: config.persistence.lockKeepAlivePeriodMs,
      });
      // The keeper logs ActiveMQ's phrase itself when it declares the lock lost.
      this.keeper.onLost((reason) => this.giveUpMaster(reason, { logged: true }));
      await this.keeper.start(acquired);
      store.setFence(this.keeper.fence());
      this.lock = { holder: locker.holderId, epoch: acquired.epoch, leaseExpiresAt: acquired.leaseExpiresAt };
    }

    this.options.beforeMaster?.();
    // Loaded only by a broker that becomes master: a slave's memory stays small.
    const { createMessageBroker } = await import('../stomp/index.js');
    const core = createMessageBroker({
      brokerName: config.brokerName,
      store,
      logger,
      clock: this.options.clock,
      isServing: () => this.state === 'master' && (this.keeper?.isHeld() ?? true),
      onStoreFailure: (error: unknown) => this.giveUpMaster(`store failure: ${errorText(error)}`, { error }),
      destinationPolicy: config.destinationPolicy,
      security: config.security,
    });
    this.core = core;
    // Recover before opening any port: a client that connects sees every persisted message.
    await core.recover();
    if (signal.aborted || this.keeper?.isHeld() === false) return;
    this.state = 'master';
    this.connectors = await openConnectors(config.transportConnectors, core, logger);
    if (signal.aborted || this.state !== 'master') return;
    logger.log('info', `${config.brokerName} becoming master`, {
      lock: 'ACTIVEMQ_LOCK',
      holderId: this.locker?.holderId ?? config.brokerName,
      epoch: acquired?.epoch ?? null,
    });
    this.emit();
  }

  private async createStore(): Promise<PersistenceAdapter> {
    const { config, durability, logger } = this.options;
    if (!config.persistent) return new MemoryPersistenceAdapter();
    // Like ActiveMQ's BrokerService, create the data directory the store lives in.
    if (config.persistence.store.kind === 'sqlite') mkdirSync(dirname(config.persistence.store.file), { recursive: true });
    return createPersistenceAdapter(config.persistence.store, {
      durability,
      createTables: config.persistence.createTablesOnStartup,
      logger,
    });
  }

  /** The database may not be up yet (or a slave starts before it): retry, as ActiveMQ does. */
  private async retryUntilReady(what: string, step: () => Promise<void>): Promise<void> {
    const retryMs = Math.min(this.options.config.persistence.locker.lockAcquireSleepIntervalMs, 1000);
    for (;;) {
      try {
        await step();
        return;
      } catch (error) {
        if (this.abort.signal.aborted) throw error;
        this.options.logger.log('warn', `${what} not ready, retrying`, { error: errorText(error), retryMs });
        await sleep(retryMs, this.abort.signal);
      }
    }
  }

  private async inspectLock(): Promise<StatusLine['lock']> {
    try {
      return (await this.locker?.inspect()) ?? null;
    } catch {
      return null;
    }
  }

  /**
   * The lock is lost or in doubt: close every connector at once, synchronously, before anything
   * else can be written; then clean up and exit with `EXIT.lockLost`.
   */
  private giveUpMaster(reason: string, cause: { logged?: boolean; error?: unknown } = {}): void {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    this.state = 'stopping';
    for (const connector of this.connectors) connector.closeNow();
    this.core?.closeAllConnections();
    if (!cause.logged) {
      this.options.logger.log('error', 'No longer able to keep the exclusive lock so giving up being a master', {
        lock: 'ACTIVEMQ_LOCK',
        holder: this.locker?.holderId ?? null,
        reason,
        fenced: cause.error instanceof FencedError,
      });
    }
    void this.finish(EXIT.lockLost, reason);
  }

  private finish(code: number, reason: string): Promise<number> {
    if (this.finishing) return this.finishing;
    this.finishing = (async () => {
      const held = this.state === 'master';
      this.state = 'stopping';
      this.abort.abort(new Error(reason));
      this.emit(code === EXIT.ok ? undefined : reason);
      for (const connector of this.connectors) connector.closeNow();
      this.connectors = [];
      await settle(this.core?.stop());
      await settle(this.keeper?.stop());
      await settle(this.store?.stop());
      // Release only on a clean stop of a master that still holds the lock.
      if (held && code === EXIT.ok) await settle(this.locker?.release());
      await settle(this.locker?.stop());
      // One more turn of the event loop: log lines summed up per turn (failed frames) get out
      // before the final status line, after which the process exits.
      await new Promise((resolve) => setImmediate(resolve));
      this.state = 'stopped';
      this.emit(code === EXIT.ok ? undefined : reason, code);
      this.resolveExit(code);
      return code;
    })();
    return this.finishing;
  }

  private setState(state: BrokerState, lock: StatusLine['lock']): void {
    this.state = state;
    this.lock = lock;
    this.emit();
  }

  private emit(reason?: string, exitCode?: number): void {
    const connectors: ConnectorStatus[] = this.connectors.map((c) => c.status);
    const line: StatusLine = {
      type: 'status',
      ts: this.options.clock.now(),
      broker: this.options.config.brokerName,
      pid: process.pid,
      state: this.state,
      role: roleOf(this.state),
      lock: this.lock && this.keeper ? { ...this.lock, leaseExpiresAt: this.keeper.leaseExpiresAt } : this.lock,
      connectors,
    };
    if (reason !== undefined) line.reason = reason;
    if (exitCode !== undefined) line.exitCode = exitCode;
    this.options.emitStatus(line);
  }
}

async function settle(promise: Promise<unknown> | undefined): Promise<void> {
  try {
    await promise;
  } catch {
    // Shutting down: the error was already reported where a policy decided.
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import type { Socket } from 'node:net';
import { CommandCode, type DbCommand, type DbRawCommand, type NoticeOrError } from 'pg-server';
import { CommandParser } from 'pg-server/protocol/command-parser.js';
import { ResponseWriter } from 'pg-server/protocol/response-writer.js';
import type { StatementResult } from './pgmem-engine.js';
import type { SessionExecutor } from './session-executor.js';
import { splitStatements } from './sql-text.js';
import { commandTag, dataRowMessage, rowDescription, textValue, toWireError } from './wire-values.js';

interface Portal {
  sql: string;
  values: unknown[];
  result: StatementResult | null;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/**
 * One client connection: pg-server's parser and writer for the wire format, and the protocol flow
 * around the session executor (extended-protocol statements and portals, skip-until-Sync after an
 * error, ReadyForQuery with the transaction status, the idle-in-transaction timeout).
 */
export class WireSession {
  private readonly writer: ResponseWriter;
  private readonly parser: CommandParser;
  private readonly queue: DbCommand[] = [];
  private readonly statements = new Map<string, { sql: string; types: number[] }>();
  private readonly portals = new Map<string, Portal>();
  private pumping = false;
  private skipUntilSync = false;
  private startupSeen = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    readonly socket: Socket,
    readonly executor: SessionExecutor,
    private readonly secret: number,
    private readonly hooks: { setCurrent(pid: number): void; onClose(session: WireSession): void },
  ) {
    this.writer = new ResponseWriter(socket);
    this.parser = new CommandParser((raw: DbRawCommand) => this.queue.push(ownValues(raw.command)));
    socket.setNoDelay(true);
    socket.on('data', (data) => this.onData(data));
    socket.on('error', () => undefined);
    socket.on('close', () => this.close());
  }

  get pid(): number {
    return this.executor.pid;
  }

  /** Ends the session as the server would: a FATAL error, then the socket closes. */
  terminate(code: string, message: string): void {
    if (this.closed) return;
    this.writer.error({ severity: 'FATAL', code, message });
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 100).unref();
    this.close();
  }

  private onData(data: Buffer): void {
    this.clearIdleTimer();
    if (!this.startupSeen && data.length >= 8 && data.readInt32BE(0) === 8 && [SSL_REQUEST, GSSENC_REQUEST].includes(data.readInt32BE(4))) {
      this.socket.write('N');
      data = data.subarray(8);
      if (data.length === 0) return;
    }
    if (!this.startupSeen && data.length >= 8 && data.readInt32BE(4) === CANCEL_REQUEST) {
      this.socket.destroy();
      return;
    }
    this.startupSeen = true;
    try {
      this.parser.parse(data);
    } catch (error) {
      this.writer.error({ severity: 'FATAL', code: '08P01', message: `invalid frontend message: ${String(error)}` });
      this.socket.destroy();
      return;
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const command = this.queue.shift() as DbCommand;
        this.socket.cork();
        try {
          await this.handle(command);
        } finally {
          this.socket.uncork();
        }
      }
    } finally {
      this.pumping = false;
    }
    if (!this.closed && this.queue.length === 0) this.armIdleTimer();
  }

  private async handle(command: DbCommand): Promise<void> {
    if (this.skipUntilSync && command.type !== CommandCode.sync) return;
    switch (command.type) {
      case CommandCode.init:
        return this.startup(command.options);
      case CommandCode.startup:
      case CommandCode.flush:
        return;
      case CommandCode.query:
        return this.simpleQuery(command.query);
      case CommandCode.parse:
        this.statements.set(command.queryName, { sql: command.query, types: command.parameters });
        return this.writer.parseComplete();
      case CommandCode.bind: {
        const statement = this.statements.get(command.statement);
        if (!statement) return this.fail({ code: '26000', message: `prepared statement "${command.statement}" does not exist` });
        this.portals.set(command.portal, { sql: statement.sql, values: command.values, result: null });
        return this.writer.bindComplete();
      }
      case CommandCode.describe:
        return this.describe(command.portalType, command.name ?? '');
      case CommandCode.execute:
        return this.executePortal(command.portal);
      case CommandCode.close:
        if (command.portalType === 'S') this.statements.delete(command.name ?? '');
        else this.portals.delete(command.name ?? '');
        return this.writer.closeComplete();
      case CommandCode.sync:
        this.skipUntilSync = false;
        this.portals.delete('');
        // Like PostgreSQL: everything since the last Sync outside BEGIN was one implicit
        // transaction, committed now, or rolled back if any of it failed.
        try {
          this.executor.endImplicit();
        } catch (error) {
          this.writer.error(toWireError(error));
        }
        return this.writer.readyForQuery(this.executor.txStatus);
      case CommandCode.end:
        this.socket.end();
        return;
      default:
        return this.fail({ code: '0A000', message: `unsupported protocol message ${command.type}` });
    }
  }

  private startup(options: Record<string, string>): void {
    for (const [name, value] of Object.entries(options)) {
      if (name === 'application_name') this.executor.applyStartupOption(name, value);
      if (name === 'options') for (const m of value.matchAll(/-c\s*([\w.]+)=(\S+)/g)) this.executor.applyStartupOption(m[1] as string, m[2] as string);
    }
    this.writer.authenticationOk();
    for (const [name, value] of Object.entries(SERVER_PARAMETERS)) this.writer.parameterStatus(name, value);
    this.writer.parameterStatus('application_name', this.executor.setting('application_name') ?? '');
    this.writer.backendKeyData(this.pid, this.secret);
    this.writer.readyForQuery('I');
  }

  private async simpleQuery(query: string): Promise<void> {
    const statements = splitStatements(query);
    if (statements.length === 0) this.writer.emptyQuery();
    if (statements.length > 1) this.executor.beginImplicit();
    try {
      for (const sql of statements) this.sendResult(await this.run(sql, []), true);
      this.executor.endImplicit();
    } catch (error) {
      this.writer.error(toWireError(error));
      this.executor.endImplicit();
    }
    this.writer.readyForQuery(this.executor.txStatus);
  }

  private async describe(kind: 'P' | 'S', name: string): Promise<void> {
    if (kind === 'S') {
      const statement = this.statements.get(name);
      if (!statement) return this.fail({ code: '26000', message: `prepared statement "${name}" does not exist` });
      const count = Math.max(0, ...[...statement.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
      this.writer.parameterDescription(Array.from({ length: count }, (_, i) => statement.types[i] || 25));
      return this.writer.noData();
    }
    const portal = this.portals.get(name);
    if (!portal) return this.fail({ code: '34000', message: `portal "${name}" does not exist` });
    // Rows need their description first: the statement runs now, Execute sends what it returned.
    try {
      this.executor.beginImplicit();
      portal.result = await this.run(portal.sql, portal.values);
    } catch (error) {
      return this.fail(toWireError(error));
    }
    if (portal.result.fields.length > 0) this.writer.rowDescription(rowDescription(portal.result.fields));
    else this.writer.noData();
  }

  private async executePortal(name: string): Promise<void> {
    const portal = this.portals.get(name);
    if (!portal) return this.fail({ code: '34000', message: `portal "${name}" does not exist` });
    try {
      this.executor.beginImplicit();
      const result = portal.result ?? (await this.run(portal.sql, portal.values));
      portal.result = null;
      this.sendResult(result, false);
    } catch (error) {
      this.fail(toWireError(error));
    }
  }

  private async run(sql: string, values: readonly unknown[]): Promise<StatementResult> {
    this.hooks.setCurrent(this.pid);
    return this.executor.execute(sql, values);
  }

  private sendResult(result: StatementResult, describe: boolean): void {
    if (describe && result.fields.length > 0) this.writer.rowDescription(rowDescription(result.fields));
    for (const row of result.rows) this.socket.write(dataRowMessage(result.fields.map((f) => textValue(row[f.name]))));
    this.writer.commandComplete(commandTag(result.command, result.rowCount));
  }

  /** An error in the extended protocol: PostgreSQL discards messages until the next Sync. */
  private fail(error: NoticeOrError): void {
    this.writer.error({ severity: 'ERROR', ...error });
    this.skipUntilSync = true;
    // Any error aborts the transaction it happened in, as in PostgreSQL.
    this.executor.markFailed();
  }

  private armIdleTimer(): void {
    const timeoutMs = this.executor.timeoutMs('idle_in_transaction_session_timeout');
    if (this.executor.txStatus === 'I' || timeoutMs <= 0) return;
    this.idleTimer = setTimeout(() => this.terminate('25P03', 'terminating connection due to idle-in-transaction timeout'), timeoutMs);
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearIdleTimer();
    this.queue.length = 0;
    this.executor.close();
    this.hooks.onClose(this);
  }
}

const SERVER_PARAMETERS: Record<string, string> = {
  server_version: '15.0 (pg-mem)',
  server_encoding: 'UTF8',
  client_encoding: 'UTF8',
  DateStyle: 'ISO, MDY',
  integer_datetimes: 'on',
  standard_conforming_strings: 'on',
  TimeZone: 'UTC',
};

/** Bind values are views into the parser's buffer, which the next chunk may overwrite: copy them. */
function ownValues(command: DbCommand): DbCommand {
  if (command.type !== CommandCode.bind) return command;
  return { ...command, values: command.values.map((v: unknown) => (Buffer.isBuffer(v) ? Buffer.from(v) : v)) };
}

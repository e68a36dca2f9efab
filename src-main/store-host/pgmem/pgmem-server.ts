import { randomInt } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { silentLogger, type Logger } from '../../../broker/util/log.js';
import { loadDump, writeDump } from './pgmem-dump.js';
import { PgMemEngine } from './pgmem-engine.js';
import { RowLocks } from './row-locks.js';
import { SessionExecutor } from './session-executor.js';
import { WireSession } from './wire-session.js';

export interface PgMemServerOptions {
  host?: string;
  port?: number;
  logger?: Logger;
}

export interface PgMemServer {
  readonly host: string;
  readonly port: number;
  /** `postgres://pgmem:pgmem@host:port/pgmem` (any user, password and database are accepted). */
  readonly url: string;
  sessions(): number;
  /** The "database restart" fault: every session ends (FATAL 57P01), its transaction rolls back, its locks go. */
  dropAllSessions(): number;
  /** Writes every schema's tables and rows to `file` (JSON), so the lab can keep pg-mem across restarts. */
  save(file: string): Promise<void>;
  /** Recreates the tables and rows of a `save` file (schemas that exist already are replaced). */
  load(file: string): Promise<void>;
  stop(): Promise<void>;
}

const FIRST_PID = 10_000;

/**
 * pg-mem served over the PostgreSQL wire protocol on 127.0.0.1, so brokers reach it with the same
 * `pg` code as a real server. Row locks across sessions, clock functions and the
 * idle-in-transaction timeout are EMULATED by the glue (docs/pgmem.md).
 */
export async function startPgMemServer(options: PgMemServerOptions = {}): Promise<PgMemServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = (options.logger ?? silentLogger).child({ store: 'pg-mem' });
  const live = new Map<number, WireSession>();
  let nextPid = FIRST_PID;
  let currentPid = 0;
  const engine = new PgMemEngine({
    currentPid: () => currentPid,
    terminate: (pid) => {
      const session = live.get(pid);
      if (!session) return false;
      // The calling statement finishes first, as pg_terminate_backend on oneself would.
      setImmediate(() => session.terminate('57P01', 'terminating connection due to administrator command'));
      return true;
    },
  });
  const locks = new RowLocks();
  const sockets = new Set<Socket>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const pid = nextPid++;
    const session = new WireSession(socket, new SessionExecutor(pid, engine, locks), randomInt(1, 2 ** 31 - 1), {
      setCurrent: (p) => {
        currentPid = p;
      },
      onClose: (s) => {
        live.delete(s.pid);
        logger.log('debug', 'pg-mem session closed', { pid: s.pid });
      },
    });
    live.set(pid, session);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('pg-mem server has no TCP address');
  const port = address.port;
  logger.log('info', 'pg-mem server listening', { host, port });

  let stopped: Promise<void> | null = null;
  return {
    host,
    port,
    url: `postgres://pgmem:pgmem@${host}:${port}/pgmem`,
    sessions: () => live.size,
    dropAllSessions() {
      const count = live.size;
      for (const session of [...live.values()]) session.terminate('57P01', 'terminating connection due to administrator command');
      logger.log('warn', 'pg-mem dropped every session', { sessions: count });
      return count;
    },
    save: (file) => writeDump(engine, file),
    load: (file) => loadDump(engine, file),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of [...live.values()]) session.terminate('57P01', 'terminating connection due to administrator command');
        for (const socket of sockets) socket.destroy();
      });
      return stopped;
    },
  };
}

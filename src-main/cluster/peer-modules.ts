/**
 * The pg-mem wire server and the link proxy are written in parallel with this code; until both are
 * in the tree they are loaded by a computed specifier, typed here after their announced signatures.
 */

export interface LinkProxy {
  readonly port: number;
  cut(mode: 'reset' | 'blackhole'): unknown;
  setLatency(latencyMs: number): unknown;
  heal(): unknown;
  stop(): Promise<unknown>;
}

export interface PgMemServer {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  sessions(): unknown;
  dropAllSessions(): unknown;
  save(file: string): unknown;
  stop(): Promise<unknown>;
}

type StartLinkProxy = (options: { targetHost: string; targetPort: number }) => Promise<LinkProxy> | LinkProxy;
type StartPgMemServer = (options: { host: string; port: number }) => Promise<PgMemServer> | PgMemServer;

async function load<T>(relative: string, name: string): Promise<T> {
  const specifier = new URL(relative, import.meta.url).href;
  try {
    const module = (await import(specifier)) as Record<string, unknown>;
    const fn = module[name];
    if (typeof fn !== 'function') throw new Error(`${relative} has no ${name}()`);
    return fn as T;
  } catch (error) {
    throw new Error(`${name} is not available: ${(error as Error).message}`, { cause: error });
  }
}

export async function startLinkProxy(options: { targetHost: string; targetPort: number }): Promise<LinkProxy> {
  const start = await load<StartLinkProxy>('../faults/link-proxy.js', 'startLinkProxy');
  return start(options);
}

export async function startPgMemServer(options: { host: string; port: number }): Promise<PgMemServer> {
  const start = await load<StartPgMemServer>('./pgmem/pgmem-server.js', 'startPgMemServer');
  return start(options);
}

/** `sessions()` may return a list or a count. */
export function sessionCount(sessions: unknown): number {
  if (Array.isArray(sessions)) return sessions.length;
  if (typeof sessions === 'number') return sessions;
  if (sessions instanceof Map || sessions instanceof Set) return sessions.size;
  return 0;
}

import { LabApiError } from '../api/lab-errors.js';
import type { DataSourceSpec } from './lock-store-host.js';
import type { LinkMode, LinkState, LockStoreHost, StoreKind } from './lock-store-host.js';
import { startLinkProxy } from '../faults/link-proxy.js';
import type { LinkProxy } from '../faults/link-proxy.js';
import { PgStoreInspector } from './pg-store-inspector.js';
import type { PgInspectorTarget } from './pg-store-inspector.js';

/** The database behind a PostgreSQL-protocol store: pg-mem in this process, or a real server. */
export interface PgBackend {
  readonly kind: Exclude<StoreKind, 'sqlite'>;
  readonly location: string;
  readonly limits: readonly string[];
  /** Valid after `start()`. */
  target(): PgInspectorTarget;
  start(): Promise<void>;
  envFor(name: string): Record<string, string>;
  restart(): Promise<string>;
  save(file: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL-protocol store: each broker reaches the database through its own link proxy on
 * 127.0.0.1 (cut / delay / heal per broker, like Toxiproxy); the lab's inspector connects directly.
 */
export class PgStoreHost implements LockStoreHost {
  readonly hasLinkProxies = true;
  private readonly proxies = new Map<string, LinkProxy>();
  private pgInspector: PgStoreInspector | null = null;

  constructor(private readonly backend: PgBackend) {}

  get kind(): StoreKind {
    return this.backend.kind;
  }

  get location(): string {
    return this.backend.location;
  }

  get limits(): readonly string[] {
    return this.backend.limits;
  }

  get inspector(): PgStoreInspector {
    this.pgInspector ??= new PgStoreInspector(this.backend.target());
    return this.pgInspector;
  }

  async start(): Promise<void> {
    await this.backend.start();
  }

  async dataSourceFor(name: string): Promise<DataSourceSpec> {
    const target = this.backend.target();
    let proxy = this.proxies.get(name);
    if (!proxy) {
      proxy = await startLinkProxy({ targetHost: target.host, targetPort: target.port });
      this.proxies.set(name, proxy);
    }
    return { kind: 'postgres', host: '127.0.0.1', port: proxy.port, database: target.database, user: target.user, password: target.password, schema: target.schema };
  }

  envFor(name: string): Record<string, string> {
    return this.backend.envFor(name);
  }

  async cutLink(name: string, mode: LinkMode): Promise<void> {
    this.proxy(name).cut(mode);
  }

  async setLatency(name: string, latencyMs: number): Promise<void> {
    this.proxy(name).setLatency(latencyMs);
  }

  async healLink(name: string): Promise<void> {
    const proxy = this.proxy(name);
    proxy.heal();
    proxy.setLatency(0);
  }

  linkState(name: string): LinkState | null {
    const link = this.proxies.get(name)?.state();
    if (!link) return null;
    if (link.kind === 'cut') return { state: 'cut', mode: link.mode, latencyMs: link.latencyMs };
    return { state: link.latencyMs > 0 ? 'slow' : 'up', mode: null, latencyMs: link.latencyMs };
  }

  restartDatabase(): Promise<string> {
    return this.backend.restart();
  }

  save(file: string): Promise<void> {
    return this.backend.save(file);
  }

  async stop(): Promise<void> {
    await this.pgInspector?.stop();
    const proxies = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.all(proxies.map((p) => p.stop()));
    await this.backend.stop();
  }

  private proxy(name: string): LinkProxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw new LabApiError('not-found', `${name} has no database link (it never started on this store)`);
    return proxy;
  }
}

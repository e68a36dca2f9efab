import { EventEmitter } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

export type LinkCutMode = 'reset' | 'blackhole';

export type LinkState = { kind: 'up'; latencyMs: number } | { kind: 'cut'; mode: LinkCutMode; latencyMs: number };

export type LinkEvent =
  | { type: 'cut'; at: number; mode: LinkCutMode; connections: number }
  | { type: 'healed'; at: number; dropped: number }
  | { type: 'latency'; at: number; latencyMs: number };

export interface LinkProxyOptions {
  targetHost: string;
  targetPort: number;
  listenHost?: string;
  listenPort?: number;
}

export interface LinkProxy {
  readonly host: string;
  readonly port: number;
  readonly events: EventEmitter<{ event: [LinkEvent] }>;
  state(): LinkState;
  connections(): number;
  /** `reset`: every connection is destroyed and new ones refused; `blackhole`: nothing is forwarded, in either direction. */
  cut(mode: LinkCutMode): void;
  /** Delays every chunk, both directions, by this much (0 = none). */
  setLatency(ms: number): void;
  /** New connections are forwarded again; connections that lived through a black hole are destroyed. */
  heal(): void;
  stop(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream: Socket | null;
  /** Accepted during a black hole: never forwarded, destroyed on heal. */
  dead: boolean;
}

/**
 * The lab's TCP proxy between one broker and its PostgreSQL-protocol store, for the "lost database
 * link" faults. `reset` is Toxiproxy's reset_peer; `blackhole` its timeout toxic (packets vanish,
 * sockets stay open, so only timeouts notice).
 */
export async function startLinkProxy(options: LinkProxyOptions): Promise<LinkProxy> {
  const events = new EventEmitter<{ event: [LinkEvent] }>();
  const links = new Set<Link>();
  let state: LinkState = { kind: 'up', latencyMs: 0 };
  const emit = (event: LinkEvent) => events.emit('event', event);

  const forward = (link: Link, from: Socket, to: () => Socket | null) => {
    from.on('data', (chunk) => {
      if (link.dead || state.kind === 'cut') return;
      const send = () => {
        if (!link.dead && state.kind !== 'cut') to()?.write(chunk);
      };
      // Chunks delayed by the same latency keep their order: timers of equal delay fire in order.
      if (state.latencyMs > 0) setTimeout(send, state.latencyMs);
      else send();
    });
  };

  const destroy = (link: Link) => {
    link.client.destroy();
    link.upstream?.destroy();
    links.delete(link);
  };

  const server: Server = createServer((client) => {
    client.on('error', () => undefined);
    if (state.kind === 'cut' && state.mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const link: Link = { client, upstream: null, dead: state.kind === 'cut' };
    links.add(link);
    client.on('close', () => destroy(link));
    if (link.dead) return;
    const upstream = connect(options.targetPort, options.targetHost);
    link.upstream = upstream;
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    upstream.on('error', () => undefined);
    upstream.on('close', () => {
      // A black-holed link does not carry the far end's close either.
      if (state.kind !== 'cut') destroy(link);
    });
    forward(link, client, () => link.upstream);
    forward(link, upstream, () => link.client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listenPort ?? 0, options.listenHost ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('link proxy has no TCP address');

  let stopped: Promise<void> | null = null;
  return {
    host: address.address,
    port: address.port,
    events,
    state: () => state,
    connections: () => links.size,
    cut(mode) {
      const connections = links.size;
      state = { kind: 'cut', mode, latencyMs: state.latencyMs };
      if (mode === 'reset') {
        for (const link of [...links]) {
          link.client.resetAndDestroy();
          link.upstream?.resetAndDestroy();
          links.delete(link);
        }
      } else {
        for (const link of links) link.dead = true;
      }
      emit({ type: 'cut', at: Date.now(), mode, connections });
    },
    setLatency(ms) {
      state = { ...state, latencyMs: Math.max(0, ms) };
      emit({ type: 'latency', at: Date.now(), latencyMs: state.latencyMs });
    },
    heal() {
      let dropped = 0;
      for (const link of [...links]) {
        if (!link.dead) continue;
        destroy(link);
        dropped++;
      }
      state = { kind: 'up', latencyMs: state.latencyMs };
      emit({ type: 'healed', at: Date.now(), dropped });
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        for (const link of [...links]) destroy(link);
        server.close(() => resolve());
      });
      return stopped;
    },
  };
}

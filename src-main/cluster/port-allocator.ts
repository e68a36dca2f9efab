import net from 'node:net';

/**
 * Ports for the brokers' connectors, assigned once per cluster and kept across restarts (clients'
 * failover URLs name them). The OS picks free ports; the allocator never hands one out twice, even
 * when the OS offers it again after an earlier probe closed.
 */
export class PortAllocator {
  private readonly taken = new Set<number>();

  constructor(
    private readonly host = '127.0.0.1',
    private readonly probe: (host: string) => Promise<number> = probeFreePort,
  ) {}

  async allocate(count: number): Promise<number[]> {
    const ports: number[] = [];
    let attempts = 0;
    while (ports.length < count) {
      if (++attempts > count * 20) throw new Error(`could not find ${count} free ports on ${this.host}`);
      const port = await this.probe(this.host);
      if (this.taken.has(port)) continue;
      this.taken.add(port);
      ports.push(port);
    }
    return ports;
  }

  release(ports: readonly number[]): void {
    for (const port of ports) this.taken.delete(port);
  }
}

/** Binds port 0, reads what the OS chose, closes. */
export function probeFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

import net from 'node:net';

/**
 * Probes each broker's STOMP port every `intervalMs` and reports changes: which ports accepted is
 * the clients' view of who is master, independent of what the brokers say about themselves. A port
 * accepts when a STOMP CONNECT gets CONNECTED: a paused process's kernel still completes TCP handshakes.
 */
export class PortProber {
  private timer: NodeJS.Timeout | null = null;
  private readonly last = new Map<string, boolean>();
  private busy = false;

  constructor(
    private readonly ports: ReadonlyMap<string, number>,
    private readonly onChange: (broker: string, accepting: boolean, ts: number) => void,
    private readonly intervalMs = 50,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.round(), this.intervalMs);
    void this.round();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async round(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    await Promise.all(
      [...this.ports].map(async ([broker, port]) => {
        const accepting = await accepts(port, this.intervalMs * 4);
        if (this.last.get(broker) !== accepting) {
          this.last.set(broker, accepting);
          this.onChange(broker, accepting, Date.now());
        }
      }),
    );
    this.busy = false;
  }
}

function accepts(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    let received = '';
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => socket.write('CONNECT\naccept-version:1.2\nhost:/\n\n\0'));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\0')) {
        clearTimeout(timer);
        if (received.startsWith('CONNECTED')) socket.write('DISCONNECT\n\n\0');
        done(received.startsWith('CONNECTED'));
      }
    });
    socket.once('error', () => {
      clearTimeout(timer);
      done(false);
    });
  });
}

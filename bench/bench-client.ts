import net from 'node:net';

/**
 * A minimal pipelining STOMP peer for benchmarks: it counts RECEIPT and MESSAGE frames without
 * building objects per frame, so the client is not what gets measured.
 */
export class BenchClient {
  private socket!: net.Socket;
  private pending: Buffer = Buffer.alloc(0);
  private onFrame: ((command: string, frame: Buffer) => void) | null = null;

  static async connect(port: number): Promise<BenchClient> {
    const client = new BenchClient();
    await client.open(port);
    return client;
  }

  private open(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
      this.socket.once('error', reject);
      this.socket.on('data', (chunk: Buffer) => this.feed(chunk));
      this.socket.once('connect', () => {
        this.onFrame = (command) => {
          if (command === 'CONNECTED') resolve();
          else reject(new Error(`expected CONNECTED, got ${command}`));
        };
        this.socket.write('CONNECT\naccept-version:1.2\nhost:/\nheart-beat:0,0\n\n\0');
      });
    });
  }

  private feed(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const nul = this.pending.indexOf(0, start);
      if (nul < 0) break;
      let s = start;
      while (this.pending[s] === 10 || this.pending[s] === 13) s++;
      const eol = this.pending.indexOf(10, s);
      const command = this.pending.toString('latin1', s, eol);
      this.onFrame?.(command, this.pending.subarray(s, nul));
      start = nul + 1;
    }
    this.pending = this.pending.subarray(start);
  }

  /** Sends `count` persistent messages of `size` bytes with `inFlight` unreceipted at most; resolves with elapsed ms. */
  sendPersistent(destination: string, count: number, size: number, inFlight: number): Promise<number> {
    const body = 'x'.repeat(size);
    let sent = 0;
    let receipted = 0;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const pump = () => {
        let batch = '';
        while (sent < count && sent - receipted < inFlight) {
          batch += `SEND\ndestination:${destination}\npersistent:true\nreceipt:${sent}\ncontent-length:${size}\n\n${body}\0`;
          sent++;
        }
        if (batch) this.socket.write(batch);
      };
      this.onFrame = (command, frame) => {
        if (command === 'RECEIPT') {
          receipted++;
          if (receipted === count) resolve(performance.now() - started);
          else pump();
        } else if (command === 'ERROR') reject(new Error(frame.toString()));
      };
      pump();
    });
  }

  /** Subscribes with client-individual acks and acks every message; resolves with elapsed ms once `count` arrived. */
  consume(destination: string, count: number): Promise<number> {
    let received = 0;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      this.onFrame = (command, frame) => {
        if (command === 'MESSAGE') {
          const text = frame.toString('latin1', 0, Math.min(frame.length, 600));
          const ack = /\nack:([^\n]*)/.exec(text)?.[1];
          this.socket.write(`ACK\nid:${ack}\n\n\0`);
          if (++received === count) resolve(performance.now() - started);
        } else if (command === 'ERROR') reject(new Error(frame.toString()));
      };
      this.socket.write(`SUBSCRIBE\nid:1\ndestination:${destination}\nack:client-individual\n\n\0`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

export function summarize(values: number[]): { median: number; min: number; max: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, n: sorted.length };
}

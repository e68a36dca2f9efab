import net from 'node:net';

export interface RawFrame {
  command: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A byte-level STOMP peer for tests that must see exactly what a broker writes (the fencing test
 * asserts that not one frame arrives). Not a client library: real clients by others are used elsewhere.
 */
export class RawStomp {
  readonly frames: RawFrame[] = [];
  closed = false;
  private buffer = '';
  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nul;
      while ((nul = this.buffer.indexOf('\0')) >= 0) {
        const text = this.buffer.slice(0, nul).replace(/^[\r\n]+/, '');
        this.buffer = this.buffer.slice(nul + 1);
        const [head = '', ...rest] = text.split('\n\n');
        const [command = '', ...headerLines] = head.split('\n');
        const headers: Record<string, string> = {};
        for (const line of headerLines) {
          const colon = line.indexOf(':');
          if (colon > 0 && !(line.slice(0, colon) in headers)) headers[line.slice(0, colon)] = line.slice(colon + 1);
        }
        this.frames.push({ command, headers, body: rest.join('\n\n') });
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  static connect(port: number): Promise<RawStomp> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(new RawStomp(socket)));
      socket.once('error', reject);
    });
  }

  send(command: string, headers: Record<string, string>, body = ''): void {
    const head = Object.entries(headers).map(([k, v]) => `${k}:${v}`).join('\n');
    this.socket.write(`${command}\n${head}${head ? '\n' : ''}\n${body}\0`);
  }

  async waitForFrame(predicate: (f: RawFrame) => boolean, timeoutMs = 5000): Promise<RawFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching frame; got ${JSON.stringify(this.frames.map((f) => f.command))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

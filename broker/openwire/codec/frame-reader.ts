import { OpenWireError } from './errors.js';

/**
 * Splits a byte stream into frame bodies (type byte + fields) by their int32 size prefix. A size
 * beyond `maxFrameSize` (or negative) is refused before any of the frame is buffered.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private stopped = false;

  constructor(
    public maxFrameSize: number,
    private readonly onFrame: (body: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.stopped) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (!this.stopped && this.buffered >= 4) {
      const head = this.peek(4);
      const size = head.readInt32BE(0);
      if (size < 1) throw new OpenWireError(`bad frame size ${size}`);
      if (size > this.maxFrameSize) throw new OpenWireError(`Frame size of ${size} larger than max allowed ${this.maxFrameSize}`);
      if (this.buffered < 4 + size) return;
      const frame = this.take(4 + size);
      this.onFrame(frame.subarray(4));
    }
  }

  stop(): void {
    this.stopped = true;
    this.chunks = [];
    this.buffered = 0;
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length >= n) return first;
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] as Buffer;
  }

  private take(n: number): Buffer {
    const first = this.peek(n);
    const out = first.subarray(0, n);
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    return out;
  }
}

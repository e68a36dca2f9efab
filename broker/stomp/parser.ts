import { ProtocolError } from '../util/errors.js';
import type { StompFrame, StompLimits, StompVersion } from './frame.js';

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const COLON = 0x3a;
const BACKSLASH = 0x5c;

type State = 'command' | 'headers' | 'body';

/**
 * Incremental STOMP frame parser over Buffers (ActiveMQ `StompWireFormat` semantics). Each byte is
 * scanned once: complete lines are consumed as they arrive, so only a partial line is carried over,
 * and bodies are collected as chunk lists. Throws a fatal `ProtocolError` on bad input, after which
 * it ignores everything.
 */
export class FrameParser {
  /** Decides header unescaping; the connection switches it after CONNECTED. */
  version: StompVersion = '1.0';
  private state: State = 'command';
  private rest: Buffer | null = null;
  private failed = false;
  private stopped = false;
  private command = '';
  private headers = new Map<string, string>();
  private headerCount = 0;
  private frameSize = 0;
  private contentLength = -1;
  private bodyChunks: Buffer[] = [];
  private bodyLength = 0;

  /**
   * `bodyLengthCommand`: the command whose content-length is honoured (ActiveMQ: SEND on the server;
   * a client reading MESSAGE frames passes 'MESSAGE').
   */
  constructor(
    private readonly limits: StompLimits,
    private readonly onFrame: (frame: StompFrame) => void,
    private readonly bodyLengthCommand = 'SEND',
  ) {}

  /** No frame is emitted after this (DISCONNECT, fatal error, connection closing). */
  stop(): void {
    this.stopped = true;
  }

  push(chunk: Buffer): void {
    if (this.failed || this.stopped) return;
    try {
      this.consume(chunk);
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }

  private consume(chunk: Buffer): void {
    let buf = chunk;
    let scanFrom = 0;
    if (this.rest !== null) {
      scanFrom = this.rest.length;
      buf = Buffer.concat([this.rest, chunk]);
      this.rest = null;
    }
    let pos = 0;
    while (pos < buf.length && !this.stopped) {
      if (this.state === 'body') {
        pos = this.readBody(buf, pos);
        continue;
      }
      const nl = buf.indexOf(LF, pos + scanFrom);
      scanFrom = 0;
      const max = this.state === 'command' ? this.limits.maxCommandLength : this.limits.maxHeaderLength;
      if (nl < 0) {
        if (buf.length - pos > max + 1) this.lineTooLong();
        this.rest = Buffer.from(buf.subarray(pos));
        return;
      }
      let end = nl;
      if (end > pos && buf[end - 1] === CR) end--;
      if (end - pos > max) this.lineTooLong();
      if (this.state === 'command') this.readCommand(buf, pos, end);
      else this.readHeader(buf, pos, end);
      pos = nl + 1;
    }
  }

  private lineTooLong(): never {
    throw new ProtocolError(
      this.state === 'command' ? 'The maximum command length was exceeded' : 'The maximum header length was exceeded',
    );
  }

  private readCommand(buf: Buffer, start: number, end: number): void {
    // Blank lines between frames are heart-beats [STOMP-1.2 heart-beating]; ActiveMQ trims the command.
    const command = buf.toString('utf8', start, end).trim();
    if (command.length === 0) return;
    this.command = command;
    this.frameSize = end - start;
    this.state = 'headers';
  }

  private readHeader(buf: Buffer, start: number, end: number): void {
    if (end === start) {
      this.endOfHeaders();
      return;
    }
    if (++this.headerCount > this.limits.maxHeaders) {
      throw new ProtocolError('The maximum number of headers was exceeded');
    }
    this.addFrameBytes(end - start);
    const colon = buf.indexOf(COLON, start);
    if (colon < 0 || colon >= end) {
      throw new ProtocolError(`Unable to parse header line [${buf.toString('utf8', start, end)}]`);
    }
    const name = buf.toString('utf8', start, colon);
    const backslash = buf.indexOf(BACKSLASH, colon + 1);
    let value =
      backslash >= 0 && backslash < end
        ? unescapeHeader(buf, colon + 1, end, this.version)
        : buf.toString('utf8', colon + 1, end);
    if (this.version === '1.0') value = value.trim();
    // [STOMP-1.2 repeated header entries] only the first occurrence counts.
    if (!this.headers.has(name)) this.headers.set(name, value);
  }

  private endOfHeaders(): void {
    this.contentLength = -1;
    const declared = this.headers.get('content-length');
    // ActiveMQ honours content-length on SEND only; other frames always end at the first NUL.
    if (declared !== undefined && this.command === this.bodyLengthCommand) {
      const trimmed = declared.trim();
      if (!/^\d+$/.test(trimmed)) throw new ProtocolError('Specified content-length is not a valid integer');
      const length = Number(trimmed);
      if (length > this.limits.maxDataLength) throw new ProtocolError('The maximum data length was exceeded');
      this.addFrameBytes(length);
      this.contentLength = length;
    }
    this.state = 'body';
  }

  private addFrameBytes(n: number): void {
    this.frameSize += n;
    if (this.frameSize > this.limits.maxFrameSize) throw new ProtocolError('The maximum frame size was exceeded');
  }

  /** Returns the position after what it consumed. */
  private readBody(buf: Buffer, pos: number): number {
    if (this.contentLength >= 0) {
      const need = this.contentLength - this.bodyLength;
      const available = buf.length - pos;
      if (available <= need) {
        this.collect(buf.subarray(pos));
        return buf.length;
      }
      this.collect(buf.subarray(pos, pos + need));
      if (buf[pos + need] !== NUL) {
        throw new ProtocolError('content-length bytes were read and there was no trailing null byte');
      }
      this.emit();
      return pos + need + 1;
    }
    const nul = buf.indexOf(NUL, pos);
    const end = nul < 0 ? buf.length : nul;
    if (end > pos) {
      if (this.bodyLength + (end - pos) > this.limits.maxDataLength) {
        throw new ProtocolError('The maximum data length was exceeded');
      }
      this.addFrameBytes(end - pos);
      this.collect(buf.subarray(pos, end));
    }
    if (nul < 0) return buf.length;
    this.emit();
    return nul + 1;
  }

  private collect(part: Buffer): void {
    if (part.length === 0) return;
    // Copied so a queued message does not pin the whole socket chunk it arrived in.
    this.bodyChunks.push(Buffer.from(part));
    this.bodyLength += part.length;
  }

  private emit(): void {
    const body =
      this.bodyChunks.length === 1
        ? (this.bodyChunks[0] as Buffer)
        : Buffer.concat(this.bodyChunks, this.bodyLength);
    const frame: StompFrame = { command: this.command, headers: this.headers, body };
    this.state = 'command';
    this.headers = new Map();
    this.headerCount = 0;
    this.bodyChunks = [];
    this.bodyLength = 0;
    this.command = '';
    this.onFrame(frame);
  }
}

/**
 * Header value unescaping as ActiveMQ does it: `\n`, `\c`, `\\` in every version, `\r` in 1.2; an
 * undefined escape is kept literally (the 1.2 spec calls it a fatal error; ActiveMQ tolerates it).
 */
function unescapeHeader(buf: Buffer, start: number, end: number, version: StompVersion): string {
  const out = Buffer.allocUnsafe(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b === BACKSLASH && i + 1 < end) {
      const next = buf[i + 1];
      if (next === 0x6e) {
        out[n++] = LF;
        i++;
        continue;
      }
      if (next === 0x63) {
        out[n++] = COLON;
        i++;
        continue;
      }
      if (next === BACKSLASH) {
        out[n++] = BACKSLASH;
        i++;
        continue;
      }
      if (next === 0x72 && version === '1.2') {
        out[n++] = CR;
        i++;
        continue;
      }
    }
    out[n++] = b;
  }
  return out.toString('utf8', 0, n);
}

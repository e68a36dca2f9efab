import { OpenWireError } from './errors.js';
import { decodeModifiedUtf8, modifiedUtf8Length, writeModifiedUtf8 } from './modified-utf8.js';

/** Big-endian reads over one frame body; running past its end is a positioned OpenWireError. */
export class DataReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  private need(n: number): number {
    const at = this.pos;
    if (at + n > this.end) throw new OpenWireError(`truncated frame: ${n} more bytes needed, ${this.end - at} left`, at);
    this.pos = at + n;
    return at;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  byte(): number {
    return this.buf.readInt8(this.need(1));
  }

  bool(): boolean {
    const at = this.need(1);
    const b = this.buf[at] as number;
    if (b > 1) throw new OpenWireError(`bad boolean ${b}`, at);
    return b === 1;
  }

  short(): number {
    return this.buf.readInt16BE(this.need(2));
  }

  ushort(): number {
    return this.buf.readUInt16BE(this.need(2));
  }

  int(): number {
    return this.buf.readInt32BE(this.need(4));
  }

  /** A long as a number: exact up to 2^53, which every id, sequence and time stays below. */
  long(): number {
    return Number(this.buf.readBigInt64BE(this.need(8)));
  }

  bigLong(): bigint {
    return this.buf.readBigInt64BE(this.need(8));
  }

  float(): number {
    return this.buf.readFloatBE(this.need(4));
  }

  double(): number {
    return this.buf.readDoubleBE(this.need(8));
  }

  raw(n: number): Buffer {
    if (n < 0) throw new OpenWireError(`negative length ${n}`, this.pos - 4);
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }

  /** u16 length + modified UTF-8 (DataInput.readUTF). */
  utf(): string {
    const n = this.ushort();
    const at = this.need(n);
    return decodeModifiedUtf8(this.buf, at, at + n);
  }

  /** int32 length + modified UTF-8 (big strings in primitive maps, text bodies). */
  bigUtf(): string {
    const n = this.int();
    if (n < 0) throw new OpenWireError(`negative string length ${n}`, this.pos - 4);
    const at = this.need(n);
    return decodeModifiedUtf8(this.buf, at, at + n);
  }
}

/** A growable big-endian writer. */
export class DataWriter {
  private buf: Buffer;
  pos = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private room(n: number): number {
    if (this.pos + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(next, 0, 0, this.pos);
      this.buf = next;
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  byte(v: number): void {
    const at = this.room(1);
    this.buf.writeInt8(((v << 24) >> 24), at);
  }

  bool(v: boolean): void {
    const at = this.room(1);
    this.buf[at] = v ? 1 : 0;
  }

  short(v: number): void {
    const at = this.room(2);
    this.buf.writeInt16BE(((v << 16) >> 16), at);
  }

  ushort(v: number): void {
    const at = this.room(2);
    this.buf.writeUInt16BE(v, at);
  }

  int(v: number): void {
    const at = this.room(4);
    this.buf.writeInt32BE(v | 0, at);
  }

  long(v: number | bigint): void {
    const big = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
    const max = 0x7fffffffffffffffn;
    const at = this.room(8);
    this.buf.writeBigInt64BE(big > max ? max : big < -max - 1n ? -max - 1n : big, at);
  }

  float(v: number): void {
    const at = this.room(4);
    this.buf.writeFloatBE(v, at);
  }

  double(v: number): void {
    const at = this.room(8);
    this.buf.writeDoubleBE(v, at);
  }

  raw(bytes: Uint8Array): void {
    const at = this.room(bytes.length);
    this.buf.set(bytes, at);
  }

  /** u16 length + modified UTF-8; longer than 65535 bytes is refused (DataOutput.writeUTF). */
  utf(s: string): void {
    const n = modifiedUtf8Length(s);
    if (n > 0xffff) throw new OpenWireError(`string of ${n} encoded bytes exceeds 65535`);
    this.ushort(n);
    const at = this.room(n);
    writeModifiedUtf8(this.buf, at, s);
  }

  bigUtf(s: string): void {
    const n = modifiedUtf8Length(s);
    this.int(n);
    const at = this.room(n);
    writeModifiedUtf8(this.buf, at, s);
  }

  /** Overwrites an int32 already written (frame lengths). */
  patchInt(at: number, v: number): void {
    this.buf.writeInt32BE(v, at);
  }

  toBuffer(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

import { FatalProtocolError } from './protocol-error.js';

export interface HeartBeatIntervals {
  /** How often the client promised to send (its cx): the server's read check. */
  readMs: number;
  /** How often the client wants to hear from us (its cy): the server's write interval. */
  writeMs: number;
}

/**
 * Parses CONNECT `heart-beat: cx,cy`. Like ActiveMQ (ProtocolConverter.configureInactivityMonitor)
 * the server takes the client's values as they are and answers `cy,cx`; a malformed header is fatal.
 */
export function parseHeartBeat(header: string): HeartBeatIntervals {
  const parts = header.trim().split(',');
  const read = Number(parts[0]?.trim());
  const write = Number(parts[1]?.trim());
  if (parts.length !== 2 || !Number.isSafeInteger(read) || !Number.isSafeInteger(write) || read < 0 || write < 0) {
    throw new FatalProtocolError(`Invalid heart-beat header:${header}`);
  }
  return { readMs: read, writeMs: write };
}

export interface HeartBeatHooks {
  /** Milliseconds since the last byte arrived / was written. */
  sinceRead(): number;
  sinceWrite(): number;
  sendBeat(): void;
  missed(): void;
}

/**
 * The inactivity monitor (ActiveMQ's StompInactivityMonitor): writes a heart-beat when nothing was
 * written for `writeMs`, and declares the peer dead once nothing arrived for `readMs × grace`
 * (checked four times per such period, so it is noticed within 1.25× of it).
 */
export class HeartBeatMonitor {
  private readTimer: NodeJS.Timeout | null = null;
  private writeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervals: HeartBeatIntervals,
    private readonly graceMultiplier: number,
    private readonly hooks: HeartBeatHooks,
  ) {}

  start(): void {
    const { readMs, writeMs } = this.intervals;
    if (readMs > 0 && this.readTimer === null) {
      const timeoutMs = Math.max(1, Math.round(readMs * this.graceMultiplier));
      this.readTimer = setInterval(() => {
        if (this.hooks.sinceRead() >= timeoutMs) this.hooks.missed();
      }, Math.max(1, Math.floor(timeoutMs / 4)));
      this.readTimer.unref();
    }
    if (writeMs > 0 && this.writeTimer === null) {
      // Checked twice per interval so a beat is never later than 1.5× what the client asked for.
      const checkMs = Math.max(1, Math.floor(writeMs / 2));
      this.writeTimer = setInterval(() => {
        if (this.hooks.sinceWrite() >= checkMs) this.hooks.sendBeat();
      }, checkMs);
      this.writeTimer.unref();
    }
  }

  stop(): void {
    if (this.readTimer !== null) clearInterval(this.readTimer);
    if (this.writeTimer !== null) clearInterval(this.writeTimer);
    this.readTimer = null;
    this.writeTimer = null;
  }
}

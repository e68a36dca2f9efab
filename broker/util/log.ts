/**
 * Structured logs (docs/design.md, Conventions): every broker event is one JSON line on stdout; the lab parses fields
 * and never scrapes free text. `msg` keeps ActiveMQ's phrases users grep for.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LogSink {
  write(line: string): void;
}

export function createJsonLogger(sink: LogSink, base: Record<string, unknown> = {}): Logger {
  return {
    log(level, msg, fields) {
      sink.write(JSON.stringify({ ts: Date.now(), type: 'log', level, msg, ...base, ...fields }) + '\n');
    },
    child(fields) {
      return createJsonLogger(sink, { ...base, ...fields });
    },
  };
}

/** Drops everything: for unit tests that do not assert on logs. */
export const silentLogger: Logger = {
  log() {},
  child() {
    return silentLogger;
  },
};

/** Keeps lines in memory: for unit tests that do. */
export function createMemoryLogger(): Logger & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const make = (base: Record<string, unknown>): Logger => ({
    log(level, msg, fields) {
      lines.push({ level, msg, ...base, ...fields });
    },
    child(fields) {
      return make({ ...base, ...fields });
    },
  });
  return Object.assign(make({}), { lines });
}

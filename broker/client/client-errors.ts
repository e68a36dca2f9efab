import { LabError } from '../util/errors.js';

/**
 * Failures of the failover client, each with a stable `code`: `URI` (a failover URI we cannot use),
 * `TIMEOUT` (the `timeout` option ran out while disconnected), `EXHAUSTED` (max reconnect attempts
 * reached), `CLOSED` (the client was closed), `BROKER` (an ERROR frame answered an operation).
 */
export class ClientError extends LabError {
  constructor(
    code: 'URI' | 'TIMEOUT' | 'EXHAUSTED' | 'CLOSED' | 'BROKER',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

import { LabError } from '../../broker/util/errors.js';

/** Why a LabApi command failed; the web server maps each to an HTTP status. */
export type LabApiErrorCode = 'bad-request' | 'not-found' | 'conflict' | 'unsupported' | 'failed';

/** A LabApi command was refused or failed; `message` is written for the user. */
export class LabApiError extends LabError {
  constructor(
    readonly reason: LabApiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`LAB_API_${reason.toUpperCase().replace('-', '_')}`, message, options);
  }
}

import { LabError } from '../../util/errors.js';

/**
 * An OpenWire frame that cannot be decoded (truncated, unknown type, bad string, too big): the
 * connection gets a ConnectionError where it still can and is closed. `offset` positions the
 * problem inside the frame body.
 */
export class OpenWireError extends LabError {
  constructor(
    message: string,
    readonly offset: number | null = null,
  ) {
    super('OPENWIRE', offset === null ? message : `${message} (at byte ${offset})`);
  }
}

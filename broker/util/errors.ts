/**
 * One error class per category, each with a stable `code` (docs/design.md, Conventions). Catch only where a policy
 * decides; never turn one of these into `false` in a leaf.
 */
export class LabError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The store failed; whether the lock is still ours is unknown. */
export class StoreError extends LabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE', message, options);
  }
}

/**
 * A master's transaction saw an epoch other than its own in ACTIVEMQ_LOCK, or its local lease
 * deadline passed: another broker may be master, so nothing may be written or acknowledged.
 */
export class FencedError extends LabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FENCED', message, options);
  }
}

/** The locker could not obtain, keep or release the lock. */
export class LockError extends LabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LOCK', message, options);
  }
}

/**
 * A STOMP peer broke the protocol: the connection gets an ERROR frame and stays open. Only a
 * `FatalProtocolError` (broker/stomp/protocol-error.ts) also closes it.
 */
export class ProtocolError extends LabError {
  constructor(
    message: string,
    readonly details?: string,
  ) {
    super('PROTOCOL', message);
  }
}

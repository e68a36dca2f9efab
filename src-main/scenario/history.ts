import type { ClientEvent } from '../../broker/client/index.js';
import type { Interval, LabEvent } from '../api/contract/index.js';

/**
 * What a scenario run recorded, in Jepsen's spirit: every client operation with its invoke and
 * completion time and outcome (`ok`, `fail`, or `info` when we cannot know whether it took effect),
 * every delivery, the clients' connection events, the lab's events, and which broker ports accepted.
 */
export type HistoryEntry =
  | {
      type: 'send';
      process: string;
      producer: string;
      seq: number;
      destination: string;
      invokeTs: number;
      completeTs: number | null;
      /**
       * `ok`: receipted (in a transaction: its COMMIT was receipted, at `completeTs`); `fail`: refused for
       * sure (ERROR frame); `info`: indeterminate (timeout, closed, exhausted); `aborted`: its transaction
       * was ABORTed, so it was never sent as far as the verdict goes.
       */
      outcome: 'ok' | 'fail' | 'info' | 'aborted';
      /** The STOMP transaction it was sent in. */
      transaction?: string;
      error?: string;
    }
  | {
      type: 'deliver';
      process: string;
      /** Who must get each message once: the destination for a queue, the subscriber for a topic. */
      group: string;
      producer: string;
      seq: number;
      destination: string;
      ts: number;
      redelivered: boolean;
      /** The broker's `message-id`: the same on a repeat from the store, so consumers can dedup by it. */
      messageId?: string;
    }
  | { type: 'client'; process: string; event: ClientEvent }
  | { type: 'port'; broker: string; ts: number; accepting: boolean }
  | { type: 'lab'; event: LabEvent };

/** A receiving group: which destination it reads and from when it expects messages. */
export interface ReceiverGroup {
  group: string;
  destination: string;
  /** Sends invoked before this (epoch ms) are not expected (a non-durable topic subscriber). */
  expectsFromTs: number;
  /** One consumer and no selectors: per-producer order is promised. */
  ordered: boolean;
}

export interface History {
  startTs: number;
  endTs: number;
  entries: HistoryEntry[];
  groups: ReceiverGroup[];
}

export type { Interval };

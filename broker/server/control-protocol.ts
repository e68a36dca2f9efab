/**
 * The control channel's messages, shared by the broker (control-channel.ts) and the lab
 * (src-main's BrokerHandle): JSON lines on the broker's stdin, replies as JSON lines on its stdout.
 * Types only, so the lab can import them without loading any broker code.
 */
export type ControlCommand =
  | { cmd: 'status' }
  | { cmd: 'stop' }
  | { cmd: 'simulate-db-failure'; failing: boolean }
  | { cmd: 'set-clock-offset'; offsetMs: number }
  /** The Store view's purge: a master empties a queue (`/queue/NAME`) of its waiting messages. */
  | { cmd: 'purge'; destination: string };

export type ControlCommandName = ControlCommand['cmd'];

export type ControlCommandOf<C extends ControlCommandName> = Extract<ControlCommand, { cmd: C }>;

/**
 * What each command answered only when done carries in its reply. Every other command is answered
 * at once, with no result.
 */
export interface ControlResults {
  purge: { destination: string; purged: number };
}

/** Commands whose reply follows when they settle, with a result. */
export type ControlRequestName = keyof ControlResults;

/** Commands answered at once. */
export type ControlNoticeName = Exclude<ControlCommandName, ControlRequestName>;

export type ControlReply =
  | { type: 'control'; ok: true; cmd: ControlNoticeName; error?: never }
  | { [C in ControlRequestName]: { type: 'control'; ok: true; cmd: C; result: ControlResults[C]; error?: never } }[ControlRequestName]
  /** `cmd` is absent when the line was not a command at all. */
  | { type: 'control'; ok: false; cmd?: ControlCommandName; error: string };

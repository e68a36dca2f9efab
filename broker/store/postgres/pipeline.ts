import type pg from 'pg';

/**
 * One transaction of prepared statements in ONE round trip, on pg's documented extension point (a
 * "submittable": an object with `submit(connection)` that the client feeds the backend's answers,
 * as pg-cursor does). Each step is a Bind and an Execute of a statement prepared earlier on this
 * connection; a single Sync ends them, and PostgreSQL runs everything before a Sync as one implicit
 * transaction: all committed at the Sync, or all rolled back by the first error (the backend then
 * skips to the Sync). Compared with a multi-statement simple query this saves the server parsing
 * and planning every statement of every commit, and us quoting every value into SQL text.
 */

/** A parameter as it goes on the wire: text, bytes (sent in binary format), or NULL. */
export type WireValue = string | Buffer | null;

export interface PipelineStep {
  /** The prepared statement's name; one name always means one text on a connection. */
  name: string;
  text: string;
  values: readonly WireValue[];
}

export interface StepResult {
  /** Rows as the backend sent them, in text format (no Describe is sent: the caller knows the columns). */
  rows: Array<ReadonlyArray<string | null>>;
  /** The command tag, e.g. `INSERT 0 3`. */
  command: string;
}

/** The pieces of pg's Connection a submittable writes with (pg/lib/connection.js). */
interface WireConnection {
  stream: { cork?: () => void; uncork?: () => void };
  parse(query: { text: string; name: string; types: number[] }): void;
  bind(config: { portal: string; statement: string; values: readonly WireValue[] }): void;
  execute(config: { portal: string; rows: number }): void;
  sync(): void;
  sendCopyFail(message: string): void;
}

type Callback<T> = (error: Error | null, result?: T) => void;

/**
 * The parts every submittable answers to. pg calls `callback` exactly as for its own queries, and
 * wraps it when a `query_timeout` is set: calling it is what clears that timer.
 */
abstract class Submittable<T> {
  callback: Callback<T> | undefined;
  protected settled = false;

  abstract submit(connection: WireConnection): Error | null;

  handleRowDescription(): void {}
  handleDataRow(_message: { fields: Array<string | null> }): void {}
  handleCommandComplete(_message: { text: string }): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: WireConnection): void {
    connection.sendCopyFail('no COPY here');
  }
  handleCopyData(): void {}

  handleError(error: Error): void {
    this.settle(error);
  }

  protected settle(error: Error | null, result?: T): void {
    if (this.settled) return;
    this.settled = true;
    this.callback?.(error, result);
  }

  /** pg sends a submittable's messages as they are written: cork so one write carries them all. */
  protected corked(connection: WireConnection, write: () => void): null {
    connection.stream.cork?.();
    try {
      write();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }
}

/** Parse + Sync: prepares one named statement; settles at ReadyForQuery. */
class Prepare extends Submittable<void> {
  constructor(
    readonly name: string,
    readonly text: string,
  ) {
    super();
  }

  submit(connection: WireConnection): null {
    return this.corked(connection, () => {
      connection.parse({ text: this.text, name: this.name, types: [] });
      connection.sync();
    });
  }

  handleReadyForQuery(): void {
    this.settle(null);
  }
}

/** Bind + Execute per step, one Sync; settles with a result per step at ReadyForQuery. */
class Pipeline extends Submittable<StepResult[]> {
  private readonly results: StepResult[] = [];
  private current: StepResult = { rows: [], command: '' };

  constructor(private readonly steps: readonly PipelineStep[]) {
    super();
  }

  submit(connection: WireConnection): null {
    return this.corked(connection, () => {
      for (const step of this.steps) {
        connection.bind({ portal: '', statement: step.name, values: step.values });
        connection.execute({ portal: '', rows: 0 });
      }
      connection.sync();
    });
  }

  override handleDataRow(message: { fields: Array<string | null> }): void {
    this.current.rows.push(message.fields);
  }

  override handleCommandComplete(message: { text: string }): void {
    this.current.command = message.text;
    this.results.push(this.current);
    this.current = { rows: [], command: '' };
  }

  handleReadyForQuery(): void {
    if (this.results.length !== this.steps.length) {
      this.settle(new Error(`the server answered ${this.results.length} of ${this.steps.length} statements`));
      return;
    }
    this.settle(null, this.results);
  }
}

/** The statement names prepared on each connection (a new connection starts with none). */
const prepared = new WeakMap<object, Set<string>>();

function submit<T>(client: pg.ClientBase, query: Submittable<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // pg takes a function as the second argument of query(submittable) for its callback.
    (client.query as unknown as (q: Submittable<T>, cb: Callback<T>) => void)(query, (error, result) =>
      error ? reject(error) : resolve(result as T),
    );
  });
}

/**
 * Runs the steps as one transaction in one round trip, preparing first (one round trip each, once
 * per connection) any statement this connection has not seen. Rejects with the server's error when
 * a statement fails: then nothing of the steps was committed.
 */
export async function runPipeline(client: pg.ClientBase, steps: readonly PipelineStep[]): Promise<StepResult[]> {
  let names = prepared.get(client);
  if (!names) prepared.set(client, (names = new Set()));
  for (const step of steps) {
    if (names.has(step.name)) continue;
    await submit(client, new Prepare(step.name, step.text));
    names.add(step.name);
  }
  return submit(client, new Pipeline(steps));
}

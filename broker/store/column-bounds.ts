/**
 * The VARCHAR bounds of ActiveMQ's JDBC schema (store/<dialect>/statements.ts, lock/lock-table.ts)
 * that values from outside reach: broker names and lease holder ids (config), destination names,
 * producer ids and durable subscriptions (STOMP frames). PostgreSQL refuses a longer value, and a
 * refused write inside a master's store transaction would look like a store failure, so each value
 * is checked where it enters, against the column it ends up in.
 */
export const COLUMN_BOUNDS = {
  'ACTIVEMQ_LOCK.BROKER_NAME': 250,
  'ACTIVEMQ_MSGS.CONTAINER': 250,
  'ACTIVEMQ_MSGS.MSGID_PROD': 250,
  'ACTIVEMQ_ACKS.CLIENT_ID': 250,
  'ACTIVEMQ_ACKS.SUB_NAME': 250,
  'ACTIVEMQ_ACKS.SELECTOR': 250,
} as const;

export type BoundedColumn = keyof typeof COLUMN_BOUNDS;

/** VARCHAR(n) counts characters (code points), not UTF-16 units or bytes. */
function characters(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** Why `value` (called `what`) does not fit `column`, or null when it fits. */
export function exceedsColumn(column: BoundedColumn, what: string, value: string): string | null {
  const bound = COLUMN_BOUNDS[column];
  // A string of at most `bound` UTF-16 units has at most `bound` characters: no need to count.
  if (value.length <= bound) return null;
  const length = characters(value);
  if (length <= bound) return null;
  return `${what} is ${length} characters long; it is stored in ${column}, which holds at most ${bound} (VARCHAR(${bound}))`;
}

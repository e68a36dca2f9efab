import { describe, expect, it } from 'vitest';
import { COLUMN_BOUNDS, exceedsColumn } from './column-bounds.js';
import type { BoundedColumn } from './column-bounds.js';
import { createSchemaStatements } from './postgres/statements.js';

describe('column bounds', () => {
  it('accepts a value of exactly 250 characters and refuses 251, naming the column and its bound', () => {
    expect(exceedsColumn('ACTIVEMQ_LOCK.BROKER_NAME', 'brokerName', 'b'.repeat(250))).toBeNull();
    expect(exceedsColumn('ACTIVEMQ_LOCK.BROKER_NAME', 'brokerName', 'b'.repeat(251))).toBe(
      'brokerName is 251 characters long; it is stored in ACTIVEMQ_LOCK.BROKER_NAME, which holds at most 250 (VARCHAR(250))',
    );
  });

  it('counts characters as PostgreSQL does, not UTF-16 units: 250 emoji fit', () => {
    expect('😀'.repeat(250).length).toBe(500);
    expect(exceedsColumn('ACTIVEMQ_ACKS.SUB_NAME', 'activemq.subscriptionName', '😀'.repeat(250))).toBeNull();
    expect(exceedsColumn('ACTIVEMQ_ACKS.SUB_NAME', 'activemq.subscriptionName', '😀'.repeat(251))).toMatch(/251 characters/);
  });

  it('matches the PostgreSQL schema the stores and lockers create', () => {
    const ddl = createSchemaStatements('s').join('\n');
    for (const [column, bound] of Object.entries(COLUMN_BOUNDS)) {
      const [table, name] = (column as BoundedColumn).split('.') as [string, string];
      const body = new RegExp(`CREATE TABLE IF NOT EXISTS ${table} \\(([^;]*?)\\)(\\s*$|\\n)`, 'm').exec(ddl)?.[1] ?? '';
      expect(body, column).toMatch(new RegExp(`\\b${name} VARCHAR\\(${bound}\\)`));
    }
  });
});

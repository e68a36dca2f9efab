import { describe, expect, it } from 'vitest';
import { parseJdbcUrl } from './jdbc-url.js';

describe('parseJdbcUrl', () => {
  it('reads host, port, database and currentSchema of a PostgreSQL URL', () => {
    expect(parseJdbcUrl('jdbc:postgresql://db.example:5433/amq?currentSchema=lab&user=u&password=p')).toEqual({
      kind: 'postgres', host: 'db.example', port: 5433, database: 'amq', user: 'u', password: 'p', schema: 'lab',
    });
  });

  it('defaults PostgreSQL to localhost:5432 and schema public', () => {
    expect(parseJdbcUrl('jdbc:postgresql:amq')).toMatchObject({ host: 'localhost', port: 5432, database: 'amq', schema: 'public' });
    expect(parseJdbcUrl('jdbc:postgresql://[::1]/amq')).toMatchObject({ host: '::1', port: 5432 });
  });

  it('names the database of a URL we cannot run', () => {
    expect(parseJdbcUrl('jdbc:mysql://localhost/activemq?relaxAutoCommit=true')).toEqual({ kind: 'other-database', database: 'MySQL' });
    expect(parseJdbcUrl('jdbc:oracle:thin:@localhost:1521:AMQDB')).toEqual({ kind: 'other-database', database: 'Oracle' });
  });

  it('reads SQLite and Derby URLs', () => {
    expect(parseJdbcUrl('jdbc:sqlite:data/x.db')).toEqual({ kind: 'sqlite', path: 'data/x.db' });
    expect(parseJdbcUrl('jdbc:derby:derbydb;create=true')).toEqual({ kind: 'derby' });
  });

  it('rejects what is not a JDBC URL, several hosts, and a bad port', () => {
    expect(parseJdbcUrl('postgres://h/db').kind).toBe('invalid');
    expect(parseJdbcUrl('jdbc:postgresql://h1,h2/db').kind).toBe('invalid');
    expect(parseJdbcUrl('jdbc:postgresql://h:99999/db').kind).toBe('invalid');
  });
});

/**
 * JDBC URLs of the databases a data source may name. PostgreSQL follows pgjdbc's forms:
 * `jdbc:postgresql:db`, `jdbc:postgresql://host/db`, `jdbc:postgresql://host:port/db?currentSchema=x`.
 */

export type JdbcUrl =
  | { kind: 'postgres'; host: string; port: number; database: string; user: string; password: string; schema: string }
  | { kind: 'sqlite'; path: string }
  | { kind: 'derby' }
  | { kind: 'other-database'; database: string }
  | { kind: 'invalid'; reason: string };

const KNOWN_DATABASES: Record<string, string> = {
  mysql: 'MySQL',
  mariadb: 'MariaDB',
  oracle: 'Oracle',
  sqlserver: 'SQL Server',
  jtds: 'SQL Server (jTDS)',
  db2: 'DB2',
  h2: 'H2',
  hsqldb: 'HSQLDB',
  informix: 'Informix',
  sybase: 'Sybase',
};

export function parseJdbcUrl(url: string): JdbcUrl {
  const match = /^jdbc:([a-zA-Z0-9]+):(.*)$/s.exec(url);
  if (!match) return { kind: 'invalid', reason: 'not a JDBC URL (jdbc:<database>:...)' };
  const driver = (match[1] ?? '').toLowerCase();
  const rest = match[2] ?? '';
  if (driver === 'postgresql') return parsePostgres(rest);
  if (driver === 'sqlite') return { kind: 'sqlite', path: rest.replace(/\?.*$/s, '') };
  if (driver === 'derby') return { kind: 'derby' };
  return { kind: 'other-database', database: KNOWN_DATABASES[driver] ?? driver };
}

function parsePostgres(rest: string): JdbcUrl {
  const queryStart = rest.indexOf('?');
  const main = queryStart >= 0 ? rest.slice(0, queryStart) : rest;
  const query = new URLSearchParams(queryStart >= 0 ? rest.slice(queryStart + 1) : '');
  let host = 'localhost';
  let port = 5432;
  let database: string;
  if (main.startsWith('//')) {
    const slash = main.indexOf('/', 2);
    const authority = slash >= 0 ? main.slice(2, slash) : main.slice(2);
    database = slash >= 0 ? main.slice(slash + 1) : '';
    if (authority.includes(',')) return { kind: 'invalid', reason: 'several PostgreSQL hosts are not supported; name one host' };
    const hostPort = /^(\[[^\]]+\]|[^:]*)(?::(\d*))?$/.exec(authority);
    if (!hostPort) return { kind: 'invalid', reason: `"${authority}" is not host:port` };
    if (hostPort[1]) host = hostPort[1].replace(/^\[|\]$/g, '');
    if (hostPort[2]) {
      port = Number(hostPort[2]);
      if (port < 1 || port > 65535) return { kind: 'invalid', reason: `port ${hostPort[2]} is out of range` };
    }
  } else {
    database = main.replace(/^\//, '');
  }
  const user = query.get('user') ?? '';
  return {
    kind: 'postgres',
    host,
    port,
    database: safeDecode(database) || user,
    user,
    password: query.get('password') ?? '',
    schema: query.get('currentSchema') ?? 'public',
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

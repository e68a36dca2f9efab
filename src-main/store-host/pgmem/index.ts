export { startPgMemServer, type PgMemServer, type PgMemServerOptions } from './pgmem-server.js';

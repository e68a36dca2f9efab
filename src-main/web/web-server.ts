import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { isLabCommand } from '../api/contract/index.js';
import type { LabApi, LabEvent } from '../api/contract/index.js';
import { LabApiError } from '../api/lab-errors.js';
import { toHttpError } from './http-errors.js';
import { STATUS_PAGE } from './status-page.js';

export interface WebServerOptions {
  api: LabApi & { events?: { since(afterSeq: number): LabEvent[] } };
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Default: 24 random bytes, hex. */
  token?: string;
  /** The built renderer; default `out/renderer` of the project, when it exists. */
  rendererDir?: string | null;
}

export interface WebServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** False when the renderer is not built and `/` is the plain status page. */
  readonly servesApp: boolean;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2' };

export function defaultRendererDir(): string | null {
  const compiled = import.meta.url.includes('/dist/src-main/');
  const dir = fileURLToPath(new URL(compiled ? '../../../out/renderer' : '../../out/renderer', import.meta.url));
  return existsSync(join(dir, 'index.html')) ? dir : null;
}

/**
 * Web mode: LabApi over HTTP (`POST /api/<area>/<verb>`, JSON) and its events over a WebSocket
 * (`/api/events`), on 127.0.0.1 only, behind a random token (query `token=` or
 * `Authorization: Bearer`). Without the token: 401. The Host header must name this server, so a
 * web page elsewhere cannot reach it through DNS rebinding.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('hex');
  const rendererDir = options.rendererDir === undefined ? defaultRendererDir() : options.rendererDir;
  let port = 0;

  const allowedHost = (header: string | undefined) => header === `${host}:${port}` || header === `localhost:${port}`;
  const authorized = (req: http.IncomingMessage, url: URL) => {
    const given = url.searchParams.get('token') ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    return given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token));
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      const { status, body } = toHttpError(error);
      if (!res.headersSent) send(res, status, body);
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (!allowedHost(req.headers.host)) return send(res, 403, { ok: false, error: { code: 'forbidden', message: 'wrong Host header' } });
    if (url.pathname.startsWith('/api/')) {
      if (!authorized(req, url)) return send(res, 401, { ok: false, error: { code: 'unauthorized', message: 'missing or wrong token: use the URL failover-lab up printed' } });
      if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'method-not-allowed', message: 'LabApi commands are POST /api/<area>/<verb> with a JSON body' } });
      const command = url.pathname.slice('/api/'.length);
      if (!isLabCommand(command)) return send(res, 404, toHttpError(new LabApiError('not-found', `unknown command "${command}"`)).body);
      const body = await readBody(req);
      let payload: unknown;
      try {
        payload = body.trim() === '' ? {} : JSON.parse(body);
      } catch {
        return send(res, 400, toHttpError(new LabApiError('bad-request', `${command}: the body is not JSON`)).body);
      }
      try {
        const result = await options.api.invoke(command, payload as never);
        return send(res, 200, { ok: true, result });
      } catch (error) {
        const { status, body: errorBody } = toHttpError(error);
        return send(res, status, errorBody);
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false, error: { code: 'method-not-allowed', message: 'GET only' } });
    return serveStatic(url, req, res);
  }

  async function serveStatic(url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const isPage = url.pathname === '/' || url.pathname === '/index.html';
    // The page itself needs the token (it is what the URL grants); its assets are not secret.
    if (isPage && !authorized(req, url)) return send(res, 401, { ok: false, error: { code: 'unauthorized', message: 'open the URL failover-lab up printed (it carries the token)' } });
    if (!rendererDir) {
      if (isPage) return sendText(res, 200, STATUS_PAGE, TYPES['.html']!);
      return send(res, 404, { ok: false, error: { code: 'not-found', message: url.pathname } });
    }
    const file = normalize(join(rendererDir, isPage ? 'index.html' : decodeURIComponent(url.pathname)));
    if (!file.startsWith(rendererDir + sep)) return send(res, 404, { ok: false, error: { code: 'not-found', message: url.pathname } });
    try {
      return sendText(res, 200, await readFile(file), TYPES[extname(file)] ?? 'application/octet-stream');
    } catch {
      return send(res, 404, { ok: false, error: { code: 'not-found', message: url.pathname } });
    }
  }

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname !== '/api/events' || !allowedHost(req.headers.host) || !authorized(req, url)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const afterSeq = Number(url.searchParams.get('afterSeq') ?? 'NaN');
      const sendEvent = (event: LabEvent) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
      };
      if (Number.isInteger(afterSeq) && options.api.events) for (const event of options.api.events.since(afterSeq)) sendEvent(event);
      const unsubscribe = options.api.subscribe(sendEvent);
      ws.on('close', unsubscribe);
      ws.on('error', unsubscribe);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  port = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}/?token=${token}`,
    port,
    token,
    servesApp: rendererDir !== null,
    stop() {
      stopped ??= (async () => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return stopped;
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new LabApiError('bad-request', 'the body is larger than 1 MB'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

function sendText(res: http.ServerResponse, status: number, body: string | Buffer, type: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

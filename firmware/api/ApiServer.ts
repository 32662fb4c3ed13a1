/**
 * The daemon's local API: HTTP/1.1 over a Unix domain socket.
 *
 *   ccgate status / agent / campaign / counter / board / history ──► ApiClient ──► socket ──► ApiServer ──► GatewayApi
 *                                                                                                │
 *   GET /v1/events (SSE) ◄──────────────────────────────────────────────────── subscribe() ◄─────┘
 *
 * A Unix socket rather than TCP: file permissions are the access control, and
 * nothing is exposed on the branch network.
 */
import { chmod, unlink } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { GatewayApi } from '../../gateway/GatewayApi.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import { errorResponse } from './protocol.ts';
import { matchRoute, readJsonBody } from './routes.ts';
import { prepareSocketPath } from './socketFile.ts';
import { encodeSse, SSE_HEARTBEAT } from './sse.ts';

/** A running API server. */
export interface ApiServer {
  readonly socketPath: string;
  /** Stop accepting, end event streams and open connections, remove the socket file. Idempotent. */
  close(): Promise<void>;
}

/** Tuning for {@link startApiServer}; every field has a default. */
export interface ApiServerOptions {
  /** Interval of SSE keep-alive comments (ms). Default 15 000. */
  heartbeatMs: number;
  /** An event-stream client this far behind (bytes buffered) is disconnected rather than buffered without bound. Default 4 MiB. */
  maxSseBufferBytes: number;
  /** Mode of the socket file. Default 0o660: the daemon's user and group (operators) only. */
  socketMode: number;
  /** The boards for `GET /v1/wallboard` (config, health, the view on show); none when the daemon runs no boards. */
  wallboard: (() => unknown[]) | null;
}

const DEFAULTS: ApiServerOptions = { heartbeatMs: 15_000, maxSseBufferBytes: 4 * 1024 * 1024, socketMode: 0o660, wallboard: null };

/**
 * Start serving `api` on `socketPath`. Removes a stale socket file; rejects
 * with CONFIG_INVALID if another daemon answers on it.
 */
export async function startApiServer(api: GatewayApi, socketPath: string, logger: Logger, options: Partial<ApiServerOptions> = {}): Promise<ApiServer> {
  const opts = { ...DEFAULTS, ...options };
  const log = logger.child({ component: 'api' });
  await prepareSocketPath(socketPath, log);

  const streams = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://ccgate.local').pathname;
    try {
      if (method === 'GET' && path === '/v1/events') return openEventStream(req, res);
      if (method === 'GET' && path === '/v1/wallboard') return sendJson(res, 200, opts.wallboard?.() ?? []);
      const { route, params } = matchRoute(method, path);
      const reply = await route.handler(api, params, () => readJsonBody(req));
      sendJson(res, reply.status, reply.body);
      log.debug({ method, path, status: reply.status }, 'request');
    } catch (e) {
      const { status, body } = errorResponse(e);
      if (status >= 500) log.error({ method, path, status, err: e }, 'request failed');
      else log.debug({ method, path, status, code: body.error.code }, 'request refused');
      // The body may be partly unread (413, early validation errors): close
      // the connection instead of letting Node drain an unbounded upload.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (!req.complete) res.setHeader('connection', 'close');
      sendJson(res, status, body);
    }
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    // Send something at once so the client sees the response before the first event.
    res.write(': ccgate events\n\n');
    streams.add(res);
    const unsubscribe = api.subscribe((ev) => {
      if (res.writableLength > opts.maxSseBufferBytes) {
        log.warn({ buffered: res.writableLength }, 'event-stream client too slow; disconnecting');
        res.destroy();
        return;
      }
      res.write(encodeSse({ event: ev.type, id: ev.seq, data: JSON.stringify(ev) }));
    });
    const heartbeat = setInterval(() => res.write(SSE_HEARTBEAT), opts.heartbeatMs);
    heartbeat.unref();
    const cleanup = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    req.once('close', cleanup);
    res.once('close', cleanup);
    log.debug({}, 'event stream opened');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path: socketPath }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => log.error({ err: e }, 'API server error'));
  await chmod(socketPath, opts.socketMode);
  log.info({ socketPath }, 'API listening');

  let closing: Promise<void> | null = null;
  return {
    socketPath,
    close() {
      closing ??= (async () => {
        for (const res of streams) res.end();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await unlink(socketPath).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
        });
        log.info({ socketPath }, 'API closed');
      })();
      return closing;
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

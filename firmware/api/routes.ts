/**
 * Request routing for the local API: method + path → a GatewayApi call.
 * Bodies are validated here (shape only); the gateway validates meaning
 * (unknown agent, queue, schedule) and throws coded errors.
 */
import type { IncomingMessage } from 'node:http';
import type { GatewayApi, VipInput } from '../../gateway/GatewayApi.ts';
import type { BodyKind, BodyOf } from './bodies.ts';
import { badRequest, MAX_BODY_BYTES } from './protocol.ts';

/** A JSON reply: status and body. */
export interface JsonReply {
  status: number;
  body: unknown;
}

type Handler = (api: GatewayApi, params: string[], body: () => Promise<unknown>) => JsonReply | Promise<JsonReply>;

interface Route {
  method: 'GET' | 'POST';
  /** Anchored; capture groups are URL-encoded path segments. */
  pattern: RegExp;
  handler: Handler;
}

const ok: JsonReply = { status: 200, body: { ok: true } };

// The body schemas (and zod with them) load with the first request that has a
// body: status and KPI reads, the daemon's start among them, never need them.
let bodies: Promise<typeof import('./bodies.ts')> | null = null;

async function parse<K extends BodyKind>(kind: K, value: unknown, what: string): Promise<BodyOf<K>> {
  const m = await (bodies ??= import('./bodies.ts'));
  return m.parseBody(kind, value, what);
}

function param(params: string[], i: number): string {
  // The regexes guarantee the group exists; noUncheckedIndexedAccess cannot know.
  return params[i] ?? '';
}

/** Every route except the SSE stream, which ApiServer handles itself. */
export const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/v1\/status$/, handler: (api) => ({ status: 200, body: api.snapshot() }) },
  { method: 'GET', pattern: /^\/v1\/kpis$/, handler: (api) => ({ status: 200, body: api.kpis() }) },
  {
    method: 'POST',
    pattern: /^\/v1\/agents\/([^/]+)\/(login|logout|pause|unpause)$/,
    handler: async (api, p, body) => {
      const id = param(p, 0);
      switch (param(p, 1)) {
        case 'login':
          api.agentLogin(id);
          return ok;
        case 'logout':
          api.agentLogout(id);
          return ok;
        case 'pause':
          api.agentPause(id, (await parse('pause', await body(), 'pause request')).reason);
          return ok;
        default:
          api.agentUnpause(id);
          return ok;
      }
    },
  },
  // The number is one URL-encoded segment ('%2B98912…' for '+98912…'); the gateway refuses a withheld one.
  { method: 'GET', pattern: /^\/v1\/history\/([^/]+)$/, handler: (api, p) => ({ status: 200, body: api.history(param(p, 0)) }) },
  { method: 'GET', pattern: /^\/v1\/counters$/, handler: (api) => ({ status: 200, body: api.counters() }) },
  {
    method: 'POST',
    pattern: /^\/v1\/counters\/([^/]+)$/,
    handler: async (api, p, body) => {
      api.setCounter(param(p, 0), (await parse('counter', await body(), 'counter')).value, 'api');
      return ok;
    },
  },
  { method: 'GET', pattern: /^\/v1\/board\/message$/, handler: (api) => ({ status: 200, body: { message: api.boardMessage() } }) },
  {
    method: 'POST',
    pattern: /^\/v1\/board\/message$/,
    handler: async (api, _p, body) => {
      const { text, level, forMs } = await parse('message', await body(), 'board message');
      return { status: 200, body: api.showBoardMessage(text, { ...(level === undefined ? {} : { level }), ...(forMs === undefined ? {} : { forMs }) }) };
    },
  },
  {
    method: 'POST',
    pattern: /^\/v1\/board\/message\/clear$/,
    handler: (api) => {
      api.clearBoardMessage();
      return ok;
    },
  },
  { method: 'GET', pattern: /^\/v1\/vips$/, handler: (api) => ({ status: 200, body: api.vips() }) },
  {
    method: 'POST',
    pattern: /^\/v1\/vips$/,
    handler: async (api, _p, body) => {
      const { number, priority, name } = await parse('vip', await body(), 'VIP');
      const entry: VipInput = { number, ...(priority === undefined ? {} : { priority }), ...(name === undefined ? {} : { name }) };
      return { status: 200, body: api.setVip(entry, 'api') };
    },
  },
  // The number is one URL-encoded segment, as for history; false when it was not a VIP.
  { method: 'POST', pattern: /^\/v1\/vips\/([^/]+)\/remove$/, handler: (api, p) => ({ status: 200, body: { removed: api.removeVip(param(p, 0), 'api') } }) },
  {
    method: 'POST',
    pattern: /^\/v1\/callbacks\/([^/]+)\/cancel$/,
    handler: (api, p) => {
      api.cancelCallback(param(p, 0), 'api');
      return ok;
    },
  },
  {
    method: 'POST',
    pattern: /^\/v1\/campaigns$/,
    handler: async (api, _p, body) => ({ status: 201, body: api.submitCampaign(await parse('campaign', await body(), 'campaign')) }),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/campaigns\/([^/]+)\/cancel$/,
    handler: (api, p) => {
      api.cancelCampaign(param(p, 0));
      return ok;
    },
  },
];

/** Find the route for a request; throws API_BAD_REQUEST with HTTP 404 or 405 when none matches. */
export function matchRoute(method: string, path: string): { route: Route; params: string[] } {
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    let params: string[];
    try {
      params = m.slice(1).map((s) => decodeURIComponent(s ?? ''));
    } catch {
      throw badRequest(`malformed percent-encoding in path ${path}`);
    }
    return { route, params };
  }
  if (pathMatched) throw badRequest(`method ${method} not allowed on ${path}`, { method, path }, 405);
  throw badRequest(`no such endpoint: ${method} ${path}`, { method, path }, 404);
}

/**
 * Read a JSON body (empty = `{}`), enforcing {@link MAX_BODY_BYTES} before
 * buffering: a declared Content-Length over the limit is refused unread.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      // Not `for await`: leaving that loop destroys the socket, and the
      // client would see a reset instead of our 413. Discard the rest
      // unbuffered; the reply closes the connection.
      req.off('data', onData);
      req.resume();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`request body is not valid JSON: ${(e as Error).message}`);
  }
}

function tooLarge(): Error {
  return badRequest(`request body exceeds ${MAX_BODY_BYTES} bytes`, { limitBytes: MAX_BODY_BYTES }, 413);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { BoardConfig } from '../config/BoardConfig.ts';
import { presentedToken, tokenMatches } from './auth.ts';
import type { BoardChannel } from './BoardChannel.ts';
import type { CjkFontSet } from './fonts/CjkFontSet.ts';
import { boardPage } from './page/boardPage.ts';
import { sitePage } from './page/sitePage.ts';
import type { WebBoardOptions } from './webDefaults.ts';

/** One web board as the router sees it. */
export interface WebPage {
  board: BoardConfig;
  path: string;
  channel: BoardChannel;
  /** The page's own text (configured title and labels, its words in the board's language) has CJK characters: load the font at once. */
  cjkAtStart: boolean;
}

export interface SiteContext {
  token: string | null;
  /** By URL path segment. */
  pages: ReadonlyMap<string, WebPage>;
  assets: { css: string; js: string };
  staticFonts: ReadonlyMap<string, { contentType: string; bytes: Buffer }>;
  cjk: CjkFontSet;
  tuning: WebBoardOptions;
  log: Logger;
}

/**
 * Every answer the web board gives. Read-only: GET and HEAD, anything else
 * 405. With a token configured every route but /healthz answers 401 without
 * it, before looking at the path, so a refusal tells nothing about the site.
 *
 *   /                      overview: a link per web board
 *   /board/<path>          the board's page
 *   /board/<path>/events   its event stream (text/event-stream)
 *   /assets/board.{css,js} the page's style and script
 *   /fonts/<file>          Vazirmatn subsets, the CJK font, licence texts
 *   /healthz               {"ok":true}, for monitoring; no figures
 */
export function handleRequest(ctx: SiteContext, req: IncomingMessage, res: ServerResponse): void {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://wallboard.invalid');
  const path = url.pathname;
  if (method !== 'GET' && method !== 'HEAD') {
    send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' });
    ctx.log.debug({ method, path, status: 405 }, 'request refused');
    return;
  }
  if (path === '/healthz') return send(res, 200, 'application/json', '{"ok":true}\n');
  if (ctx.token !== null && !tokenMatches(presentedToken(req, url), ctx.token)) {
    send(res, 401, 'text/plain; charset=utf-8', 'unauthorized\n', { 'www-authenticate': 'Bearer realm="ccgate wallboard"' });
    ctx.log.debug({ path, status: 401 }, 'request refused');
    return;
  }

  if (path === '/') {
    const boards = [...ctx.pages.values()].map((p) => ({ path: p.path, lang: p.board.lang, title: p.channel.view?.title ?? p.board.title ?? p.board.id }));
    return send(res, 200, 'text/html; charset=utf-8', sitePage(boards, ctx.token, ctx.cjk.version()));
  }
  if (path === '/assets/board.css') return send(res, 200, 'text/css; charset=utf-8', ctx.assets.css, { 'cache-control': 'no-cache' });
  if (path === '/assets/board.js') return send(res, 200, 'text/javascript; charset=utf-8', ctx.assets.js, { 'cache-control': 'no-cache' });

  const board = /^\/board\/([^/]+)(\/events)?$/.exec(path);
  if (board) {
    const page = ctx.pages.get(safeDecode(board[1] ?? ''));
    if (!page) return notFound(res);
    if (board[2] === undefined) {
      const html = boardPage({
        path: page.path,
        lang: page.board.lang,
        title: page.channel.view?.title ?? page.board.title ?? page.board.id,
        token: ctx.token,
        heartbeatMs: ctx.tuning.heartbeatMs,
        lostAfterBeats: ctx.tuning.lostAfterBeats,
        cjkFont: page.cjkAtStart ? ctx.cjk.version() : null,
      });
      return send(res, 200, 'text/html; charset=utf-8', html);
    }
    if (method === 'HEAD') return send(res, 200, 'text/event-stream; charset=utf-8', '');
    setSecurityHeaders(res);
    page.channel.attach(res);
    ctx.log.debug({ board: page.board.id, viewers: page.channel.viewers }, 'web board viewer connected');
    return;
  }

  const font = /^\/fonts\/([A-Za-z0-9._-]+)$/.exec(path)?.[1];
  if (font === 'cjk.otf') {
    const file = ctx.cjk.file();
    if (!file) return notFound(res);
    // The file changes as the set grows: the page asks with ?v=<version>, the ETag lets a reload revalidate cheaply.
    const etag = `"${file.version}"`;
    if (req.headers['if-none-match'] === etag) return send(res, 304, 'font/otf', '', { etag });
    return send(res, 200, 'font/otf', file.bytes, { etag, 'cache-control': 'no-cache' });
  }
  const staticFont = font === undefined ? undefined : ctx.staticFonts.get(font);
  if (staticFont) return send(res, 200, staticFont.contentType, staticFont.bytes, { 'cache-control': 'max-age=86400' });
  return notFound(res);
}

/** A malformed escape (`%zz`) names no board rather than throwing. */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}

function notFound(res: ServerResponse): void {
  send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
}

/**
 * Only this server's own resources, no framing, no referrer (the token is in
 * the URL). `data:` images only for the empty favicon that stops the browser
 * asking for /favicon.ico.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function setSecurityHeaders(res: ServerResponse): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  setSecurityHeaders(res);
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'content-type': type, 'content-length': String(bytes.length), 'cache-control': 'no-store', ...headers });
  // Node leaves the body out of a HEAD response by itself.
  res.end(bytes);
}

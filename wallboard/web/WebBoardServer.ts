/**
 * The read-only web wallboard: one page per web board, for TVs and PCs on
 * the branch network. It listens on its own host and port, apart from the
 * control API (which stays on its Unix socket), and serves nothing but board
 * figures, the page and its fonts.
 *
 *   WallboardRuntime ──show(view)──► WebBoardDisplay ──publicView──► BoardChannel ──SSE──► page script
 *                                                    └─ CJK chars ─► CjkFontSet ──/fonts/cjk.otf──┘
 *   Clock ──heartbeat──► every BoardChannel (the page notices a silent server)
 */
import { createServer, type Server } from 'node:http';
import type { Clock, Timer } from '../../gateway/core/Clock.ts';
import { CcgateError } from '../../gateway/core/errors.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { BoardConfig } from '../config/BoardConfig.ts';
import type { Display } from '../display/Display.ts';
import type { GlyphFont } from '../text/GlyphFont.ts';
import { loadUnifont } from '../text/unifont.ts';
import { BoardChannel } from './BoardChannel.ts';
import { CjkFontSet } from './fonts/CjkFontSet.ts';
import { loadStaticFonts } from './fonts/webFonts.ts';
import { boardCss } from './page/boardCss.ts';
import { BOARD_SCRIPT } from './page/boardScript.ts';
import { PAGE_STRINGS } from './page/html.ts';
import { viewText } from './publicView.ts';
import { handleRequest, type SiteContext, type WebPage } from './routes.ts';
import { WebBoardDisplay } from './WebBoardDisplay.ts';
import { WEB_DEFAULTS, type WebBoardOptions } from './webDefaults.ts';

export interface WebBoardServerOptions {
  /** Address to listen on (`0.0.0.0` for the branch network, `127.0.0.1` for tests). */
  host: string;
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** Shared token every request but /healthz must present; null = open. */
  token: string | null;
  /** The site's boards; those with a `web` connection get a page, the others are ignored. */
  boards: readonly BoardConfig[];
  clock: Clock;
  logger: Logger;
  /** More text whose CJK characters the font must cover from the start (queue names, messages to come). */
  cjkText?: string;
  /** The 16-row bitmap font the CJK font is built from. Default: GNU Unifont (shipped subset, then the Debian package). */
  font?: GlyphFont;
  /** Tuning over {@link WEB_DEFAULTS}. */
  tuning?: Partial<WebBoardOptions>;
}

/** A running web wallboard. */
export interface WebBoardServer {
  /** The address it listens on, as bound (e.g. 127.0.0.1). */
  readonly address: string;
  /** The port it listens on (the one picked when 0 was asked). */
  readonly port: number;
  /** The display of a web board, to hand to the wallboard runtime (the same instance each call). */
  displayFor(boardId: string): Display;
  /** Stop the heartbeat, end every stream and connection, stop listening. Does not touch the displays' last views. Idempotent. */
  close(): Promise<void>;
}

/**
 * Start the web wallboard.
 * @throws CcgateError CONFIG_INVALID when it cannot listen (port in use, address not on this machine).
 */
export async function startWebBoardServer(opts: WebBoardServerOptions): Promise<WebBoardServer> {
  const tuning: WebBoardOptions = { ...WEB_DEFAULTS, ...opts.tuning };
  const log = opts.logger.child({ component: 'webboard' });
  let glyphs: GlyphFont | undefined = opts.font;
  const cjk = new CjkFontSet(() => (glyphs ??= loadUnifont()), tuning.maxCjkChars, log);

  const pages = new Map<string, WebPage>();
  const displays = new Map<string, WebBoardDisplay>();
  for (const board of opts.boards) {
    if (board.connection.kind !== 'web') continue;
    const channel = new BoardChannel(board.id, tuning, log);
    const words = PAGE_STRINGS[board.lang];
    const own = [board.title ?? '', ...Object.values(board.labels), words.connectionLost, words.waiting].join('\n');
    const cjkAtStart = cjk.add(own) !== null;
    pages.set(board.connection.path, { board, path: board.connection.path, channel, cjkAtStart });
    // A zh page's "connection lost" must draw even when no view has CJK text.
    displays.set(board.id, new WebBoardDisplay(channel, (view) => ({ ...view, cjkFont: cjk.add(viewText(view) + (cjkAtStart ? own : '')) })));
  }
  cjk.add(opts.cjkText ?? '');

  const ctx: SiteContext = {
    token: opts.token,
    pages,
    assets: { css: boardCss(opts.token), js: BOARD_SCRIPT },
    staticFonts: await loadStaticFonts(),
    cjk,
    tuning,
    log,
  };

  const server = createServer((req, res) => {
    try {
      handleRequest(ctx, req, res);
    } catch (e) {
      // The path only: the query may hold the token.
      log.error({ path: (req.url ?? '').split('?')[0], err: e }, 'web board request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end();
    }
  });
  await listen(server, opts.host, opts.port);
  server.on('error', (e) => log.error({ err: e }, 'web board server error'));
  // Listening on host:port always yields an AddressInfo (a string is for pipes and Unix sockets).
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new CcgateError('CONFIG_INVALID', `web wallboard bound to no TCP address: ${String(bound)}`, { host: opts.host, port: opts.port });
  log.info({ host: bound.address, port: bound.port, boards: [...pages.keys()], token: opts.token !== null }, 'web wallboard listening');

  let beats = 0;
  let heartbeat: Timer | null = null;
  const beat = (): void => {
    beats += 1;
    for (const p of pages.values()) p.channel.heartbeat(beats);
    heartbeat = opts.clock.setTimer('webboard:heartbeat', tuning.heartbeatMs, beat);
  };
  heartbeat = opts.clock.setTimer('webboard:heartbeat', tuning.heartbeatMs, beat);

  let closing: Promise<void> | null = null;
  return {
    address: bound.address,
    port: bound.port,
    displayFor(boardId) {
      const d = displays.get(boardId);
      if (!d) throw new CcgateError('CONFIG_INVALID', `board ${boardId} is not a web board`, { boardId, webBoards: [...displays.keys()] });
      return d;
    },
    close() {
      closing ??= (async () => {
        heartbeat?.clear();
        for (const p of pages.values()) p.channel.endAll();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        log.info({}, 'web wallboard closed');
      })();
      return closing;
    },
  };
}

async function listen(server: Server, host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException): void =>
      reject(new CcgateError('CONFIG_INVALID', `web wallboard cannot listen on ${host}:${port}: ${e.code ?? e.message}`, { host, port, errno: e.code }, { cause: e }));
    server.once('error', failed);
    server.listen({ host, port }, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

import type { Lang } from '../../model/BoardView.ts';
import { dirOf, escapeHtml, PAGE_STRINGS, tokenQuery } from './html.ts';

export interface BoardPageInput {
  /** URL path segment: the page is /board/<path>. */
  path: string;
  lang: Lang;
  /** Title until the first view arrives (the configured title or the board id). */
  title: string;
  token: string | null;
  heartbeatMs: number;
  lostAfterBeats: number;
  /** Version of the CJK font to load at once (the page's own words on zh boards), or null. */
  cjkFont: string | null;
}

/**
 * One board's page. Static markup only: the script fills the tiles from the
 * event stream, so the page never reloads and works with any number of
 * items. Everything it loads comes from this server (no CDN: the internet
 * link may be down when the board matters most).
 */
export function boardPage(p: BoardPageInput): string {
  const q = tokenQuery(p.token);
  const s = PAGE_STRINGS[p.lang];
  const data = {
    events: `/board/${encodeURIComponent(p.path)}/events${q}`,
    'font-url': '/fonts/cjk.otf',
    token: p.token ?? '',
    'heartbeat-ms': String(p.heartbeatMs),
    'lost-after': String(p.lostAfterBeats),
    'cjk-font': p.cjkFont ?? '',
  };
  const attrs = Object.entries(data)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!doctype html>
<html lang="${p.lang}" dir="${dirOf(p.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(p.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/board.css${q}">
<script src="/assets/board.js${q}" defer></script>
</head>
<body${attrs}>
<header>
<h1 id="title">${escapeHtml(p.title)}</h1>
<div id="clock"><span id="date"></span> <span id="time"></span></div>
<div id="lost" role="status" hidden>${escapeHtml(s.connectionLost)}</div>
</header>
<div id="message" role="alert" hidden></div>
<main id="tiles"></main>
<p id="waiting">${escapeHtml(s.waiting)}</p>
</body>
</html>
`;
}

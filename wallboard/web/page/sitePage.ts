import type { Lang } from '../../model/BoardView.ts';
import { dirOf, escapeHtml, tokenQuery } from './html.ts';

export interface SiteBoardEntry {
  path: string;
  lang: Lang;
  title: string;
}

/** The overview at `/`: a link to every web board, each title in its own language and direction (the script only loads the CJK font here). No figures. */
export function sitePage(boards: readonly SiteBoardEntry[], token: string | null, cjkFont: string | null): string {
  const q = tokenQuery(token);
  const rows = boards
    .map((b) => `<li><a href="/board/${encodeURIComponent(b.path)}${q}" lang="${b.lang}" dir="${dirOf(b.lang)}">${escapeHtml(b.title)}</a> <span class="path">/board/${escapeHtml(b.path)}</span></li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>ccgate wallboards</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/board.css${q}">
<script src="/assets/board.js${q}" defer></script>
</head>
<body class="site" data-font-url="/fonts/cjk.otf" data-token="${escapeHtml(token ?? '')}" data-cjk-font="${escapeHtml(cjkFont ?? '')}">
<header><h1>Wallboards</h1></header>
<ul id="boards">
${rows || '<li>No web boards are configured.</li>'}
</ul>
</body>
</html>
`;
}

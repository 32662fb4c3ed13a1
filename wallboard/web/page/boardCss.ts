import { CJK_FAMILY } from '../fonts/cjkFont.ts';
import { STATIC_FONTS, VAZIRMATN_WEIGHT } from '../fonts/webFonts.ts';
import { tokenQuery } from './html.ts';

/**
 * The stylesheet of the board pages (served as /assets/board.css: the
 * Content-Security-Policy allows no inline style). Sized for a TV across a
 * room: the value is the biggest thing on screen, the level shows as the
 * value's colour and the tile's border (green / amber / red, as on the LED
 * signs), a critical value flashes itself rather than hiding behind a banner,
 * stale values are dimmed.
 */
export function boardCss(token: string | null): string {
  const q = tokenQuery(token);
  const faces = STATIC_FONTS.filter((f) => f.unicodeRange !== undefined)
    .map(
      (f) => `@font-face {
  font-family: 'Vazirmatn';
  font-style: normal;
  font-weight: ${VAZIRMATN_WEIGHT};
  font-display: swap;
  src: url('/fonts/${f.name}${q}') format('woff2');
  unicode-range: ${f.unicodeRange ?? ''};
}`,
    )
    .join('\n');
  return `${faces}
:root {
  --bg: #0b0d10; --tile: #171a1f; --fg: #f2f2f2; --dim: #7b8088;
  --ok: #2ecc40; --warn: #ffb000; --crit: #ff3b30; --info: #2f80ed;
  color-scheme: dark;
}
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--fg); }
body { font-family: 'Vazirmatn', '${CJK_FAMILY}', sans-serif; font-weight: ${VAZIRMATN_WEIGHT}; min-height: 100vh; padding: 1.5vw; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.5em 2em; margin-bottom: 1.5vw; }
h1 { font-size: clamp(1.5rem, 4vw, 5rem); margin: 0; flex: 1 1 auto; }
#clock { font-size: clamp(1.2rem, 2.8vw, 3.5rem); color: var(--dim); white-space: nowrap; }
#lost { font-size: clamp(1.2rem, 2.8vw, 3.5rem); color: var(--bg); background: var(--warn); padding: 0.1em 0.5em; border-radius: 0.3em; }
#message { font-size: clamp(1.4rem, 3.5vw, 4.5rem); padding: 0.3em 0.6em; margin-bottom: 1.5vw; border-radius: 0.3em; background: var(--info); }
#message.critical { background: var(--crit); }
#tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); gap: 1.5vw; }
.tile { background: var(--tile); border: 0.4rem solid var(--ok); border-radius: 1rem; padding: 1vw 1.5vw; display: flex; flex-direction: column; justify-content: space-between; }
.tile .label { font-size: clamp(1.2rem, 2.6vw, 3.2rem); line-height: 1.3; }
.tile .value { font-size: clamp(3rem, 9vw, 11rem); line-height: 1.1; font-variant-numeric: tabular-nums; unicode-bidi: isolate; }
.tile.level-ok { border-color: var(--ok); }
.tile.level-ok .value { color: var(--ok); }
.tile.level-warn { border-color: var(--warn); background: #2a2208; }
.tile.level-warn .value { color: var(--warn); }
.tile.level-crit { border-color: var(--crit); background: #3a0f0c; }
.tile.level-crit .value { color: var(--crit); animation: ccgate-flash 1s steps(1, end) infinite; }
.tile.stale, .tile.stale.level-warn, .tile.stale.level-crit { border-color: #333; background: var(--tile); opacity: 0.45; }
.tile.stale .value { color: var(--dim); animation: none; }
@keyframes ccgate-flash { 50% { opacity: 0.15; } }
body.lost h1, body.lost #clock { opacity: 0.45; }
#waiting { color: var(--dim); font-size: clamp(1.2rem, 2.6vw, 3.2rem); }
body.site ul { font-size: clamp(1.2rem, 2.6vw, 3rem); list-style: none; padding: 0; }
body.site li { margin: 0.4em 0; }
body.site a { color: var(--fg); }
body.site .path { color: var(--dim); font-size: 0.6em; margin-inline-start: 1em; }
[hidden] { display: none !important; }
`;
}

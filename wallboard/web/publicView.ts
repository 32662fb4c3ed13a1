import type { BoardView, ItemId, Lang, Level } from '../model/BoardView.ts';

/**
 * What a web board page receives: the figures and the words around them,
 * copied field by field from a {@link BoardView}. Built by picking, never by
 * spreading, so a field added to the view later (or anything a caller attaches
 * at run time: caller numbers, raw events) cannot reach a browser on the
 * branch network unless it is added here on purpose.
 */
export interface PublicItem {
  id: ItemId;
  label: string;
  value: string;
  level: Level;
  stale: boolean;
}

export interface PublicBoardView {
  boardId: string;
  lang: Lang;
  dir: 'ltr' | 'rtl';
  state: 'live' | 'placeholder';
  title: string;
  date: string;
  time: string;
  items: PublicItem[];
  /** The supervisor message while it has its turn, else null (the page shows it as a banner). */
  message: { text: string; level: 'info' | 'critical' } | null;
  /** Version of the CJK font (`/fonts/cjk.otf?v=…`) covering this text; null when the text has no CJK character. Set by the server. */
  cjkFont: string | null;
}

/** The page's view of `view`. `at`, pages and brightness are left out: the page shows every item, and `at` would make every view differ. */
export function publicView(view: BoardView): PublicBoardView {
  const msg = view.messageTurn ? view.message : null;
  return {
    boardId: String(view.boardId),
    lang: view.lang,
    dir: view.dir,
    state: view.state,
    title: String(view.title),
    date: String(view.date),
    time: String(view.time),
    items: view.items.map((i) => ({ id: i.id, label: String(i.label), value: String(i.value), level: i.level, stale: i.stale === true })),
    message: msg ? { text: String(msg.text), level: msg.level } : null,
    cjkFont: null,
  };
}

/** The placeholder a page shows when its board is stopped: every value `--`, nothing coloured as an alarm (stale data is never shown as live). */
export function placeholderOf(view: PublicBoardView): PublicBoardView {
  return {
    ...view,
    state: 'placeholder',
    items: view.items.map((i) => ({ ...i, value: PLACEHOLDER, level: 'ok', stale: true })),
    message: null,
  };
}

/** The value shown for a figure the board does not have. */
export const PLACEHOLDER = '--';

/** Every string of a view the page draws (for the CJK font's character list). */
export function viewText(view: PublicBoardView): string {
  return [view.title, view.date, view.time, view.message?.text ?? '', ...view.items.map((i) => i.label + i.value)].join('\n');
}

/**
 * Test helpers for the web board: board configs and views as the runtime
 * would hand them over. For tests only (unit tests here, browser tests in
 * test/web/).
 */
import type { BoardConfig } from '../config/BoardConfig.ts';
import type { BoardView, ItemView, Lang } from '../model/BoardView.ts';

/** A web board config with the defaults the schema fills in. */
export function webBoardConfig(id: string, lang: Lang, over: Partial<BoardConfig> = {}): BoardConfig {
  return {
    id,
    kind: 'web',
    connection: { kind: 'web', path: id },
    lang,
    title: null,
    queues: [],
    items: ['callsWaiting', 'longestWait', 'serviceLevelToday'],
    labels: {},
    pageSize: null,
    pageMs: 8_000,
    minIntervalMs: 500,
    thresholds: {},
    brightness: { open: 15, closed: 3, schedules: [] },
    beepOnCritical: false,
    ...over,
  };
}

export function item(id: ItemView['id'], label: string, value: string, level: ItemView['level'] = 'ok', over: Partial<ItemView> = {}): ItemView {
  return { id, label, short: id.slice(0, 4).toUpperCase(), value, latin: value, level, stale: false, ...over };
}

/** A live view of `items` (one page, no message). */
export function boardView(boardId: string, lang: Lang, items: ItemView[], over: Partial<BoardView> = {}): BoardView {
  return {
    boardId,
    kind: 'web',
    lang,
    dir: lang === 'fa' ? 'rtl' : 'ltr',
    at: Date.UTC(2026, 0, 5, 9, 30),
    state: 'live',
    title: boardId,
    date: '2026-01-05',
    time: '09:30',
    items,
    pages: [items],
    page: 0,
    message: null,
    messageTurn: false,
    brightness: 15,
    ...over,
  };
}

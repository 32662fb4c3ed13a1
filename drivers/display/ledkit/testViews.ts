/** Builders for views and board configs in LED-module tests (test-only). */
import type { BoardConfig, BoardConnection } from '../../../wallboard/config/BoardConfig.ts';
import type { BoardView, ItemView } from '../../../wallboard/model/BoardView.ts';

export function item(over: Partial<ItemView> & Pick<ItemView, 'latin'>): ItemView {
  return { id: 'callsWaiting', label: 'Waiting', short: 'WAIT', value: over.latin, level: 'ok', stale: false, ...over };
}

export const WAITING = (latin: string, level: ItemView['level'] = 'ok'): ItemView => item({ id: 'callsWaiting', label: 'Waiting', short: 'WAIT', latin, level });
export const LONGEST = (latin: string, level: ItemView['level'] = 'ok'): ItemView => item({ id: 'longestWait', label: 'Longest wait', short: 'LONG', latin, level });
export const SL = (latin: string, level: ItemView['level'] = 'ok'): ItemView => item({ id: 'serviceLevelToday', label: 'SL today', short: 'SL', latin, level });

/** A live English view with `items` on one page. */
export function view(items: ItemView[], over: Partial<BoardView> = {}): BoardView {
  return {
    boardId: 'b1',
    kind: 'ht16k33',
    lang: 'en',
    dir: 'ltr',
    at: 0,
    state: 'live',
    title: 'Site',
    date: '',
    time: '',
    items,
    pages: [items],
    page: 0,
    message: null,
    messageTurn: false,
    brightness: 15,
    ...over,
  };
}

export function placeholder(items: ItemView[]): BoardView {
  return view(
    items.map((i) => ({ ...i, value: '--', latin: '--', stale: true, level: 'ok' })),
    { state: 'placeholder' },
  );
}

export function board(connection: BoardConnection, id = 'b1'): BoardConfig {
  return {
    id,
    kind: connection.kind,
    connection,
    lang: 'en',
    title: null,
    queues: [],
    items: [],
    labels: {},
    pageSize: null,
    pageMs: 10_000,
    minIntervalMs: 250,
    thresholds: {},
    brightness: { open: 15, closed: 4, schedules: [] },
    beepOnCritical: false,
  };
}

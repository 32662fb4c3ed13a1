import type { AlphaConnection, BoardConfig } from '../../../../wallboard/config/BoardConfig.ts';
import type { BoardView, ItemId, ItemView, Level } from '../../../../wallboard/model/BoardView.ts';

/** Test-only builders for Alpha boards and views. */

export function alphaBoard(connection: Partial<AlphaConnection> = {}, board: Partial<BoardConfig> = {}): BoardConfig {
  return {
    id: 'floor',
    kind: 'alpha',
    connection: {
      kind: 'alpha',
      port: '/dev/ttyUSB0',
      baudRate: 9600,
      dataBits: 7,
      parity: 'even',
      stopBits: 1,
      address: 0,
      typeCode: 'Z',
      rows: 16,
      columns: 160,
      colour: true,
      ...connection,
    },
    lang: 'en',
    title: null,
    queues: [],
    items: ['callsWaiting', 'serviceLevelToday'],
    labels: {},
    pageSize: null,
    pageMs: 10_000,
    minIntervalMs: 250,
    thresholds: {},
    brightness: { open: 15, closed: 4, schedules: [] },
    beepOnCritical: true,
    ...board,
  };
}

const LABELS: Partial<Record<ItemId, [string, string]>> = {
  callsWaiting: ['Waiting', 'WAIT'],
  serviceLevelToday: ['SL', 'SL'],
  longestWait: ['Longest', 'LONG'],
  agentsReady: ['Ready', 'RDY'],
};

export function item(id: ItemId, latin: string, level: Level = 'ok', extra: Partial<ItemView> = {}): ItemView {
  const [label, short] = LABELS[id] ?? [id, id.slice(0, 4).toUpperCase()];
  return { id, label, short, value: latin, latin, level, stale: false, ...extra };
}

/** A live view of `items` on one page (or `pages` of them). */
export function view(items: ItemView[], extra: Partial<BoardView> & { perPage?: number } = {}): BoardView {
  const { perPage, ...rest } = extra;
  const n = perPage ?? items.length;
  const pages: ItemView[][] = [];
  for (let i = 0; i < items.length; i += n) pages.push(items.slice(i, i + n));
  return {
    boardId: 'floor',
    kind: 'alpha',
    lang: 'en',
    dir: 'ltr',
    at: 0,
    state: 'live',
    title: 'Branch',
    date: '',
    time: '',
    items,
    pages: pages.length > 0 ? pages : [[]],
    page: 0,
    message: null,
    messageTurn: false,
    brightness: 15,
    ...rest,
  };
}

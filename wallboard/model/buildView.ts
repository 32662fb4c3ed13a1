/**
 * From the core's figures to what one board shows: a pure function of the
 * board's config, the figures of the moment and the runtime's turn-taking
 * (page, message turn). The runtime decides *when*; this decides *what*.
 */
import type { Schedule } from '../../gateway/config/types.ts';
import { isOpen } from '../../gateway/ivr/schedule.ts';
import type { BoardConfig } from '../config/BoardConfig.ts';
import { itemView, type CounterValue } from '../figures/figures.ts';
import { SITE_TITLE } from '../figures/labels.ts';
import type { ScopeFigures } from '../figures/scope.ts';
import { withSlTarget, type Thresholds } from '../figures/thresholds.ts';
import { formatDate, formatTime } from '../text/dates.ts';
import type { Display } from '../display/Display.ts';
import type { BoardMessage, BoardView, ItemView } from './BoardView.ts';

export interface ViewInputs {
  now: number;
  timeZone: string;
  /** Figures of the board's scope; null = no live figures (starting, stopping): a placeholder view. */
  figures: ScopeFigures | null;
  /** The site's thresholds (config), before the board's own overrides. */
  siteThresholds: Thresholds;
  /** The site's SL target: the SL warning follows it unless the board overrides serviceLevel. */
  serviceLevelTarget: number | null;
  counters: ReadonlyMap<string, CounterValue>;
  counterFreshMs: number;
  message: BoardMessage | null;
  schedules: Readonly<Record<string, Schedule>>;
  /** Queue display names by id, for the default title. */
  queueNames: Readonly<Record<string, string>>;
}

export interface TurnState {
  page: number;
  messageTurn: boolean;
}

/** Items per page: the config's, else what the hardware shows at once. */
export function paginate(items: readonly ItemView[], pageSize: number): ItemView[][] {
  const size = Math.max(1, pageSize);
  const pages: ItemView[][] = [];
  for (let i = 0; i < items.length; i += size) pages.push(items.slice(i, i + size));
  return pages.length > 0 ? pages : [[]];
}

export function boardThresholds(board: BoardConfig, site: Thresholds, slTarget: number | null): Thresholds {
  // The site SL target moves the warning only where neither the site config nor the board set serviceLevel itself.
  const base = board.thresholds.serviceLevel ? site : withSlTarget(site, slTarget);
  return { ...base, ...board.thresholds };
}

export function brightnessAt(board: BoardConfig, inputs: Pick<ViewInputs, 'now' | 'timeZone' | 'schedules'>): number {
  const b = board.brightness;
  if (b.schedules.length === 0) return b.open;
  const open = b.schedules.some((id) => {
    const s = inputs.schedules[id];
    return s !== undefined && isOpen(s, inputs.now, inputs.timeZone);
  });
  return open ? b.open : b.closed;
}

export function boardTitle(board: BoardConfig, queueNames: Readonly<Record<string, string>>): string {
  if (board.title) return board.title;
  if (board.queues.length === 0) return SITE_TITLE[board.lang];
  return board.queues.map((q) => queueNames[q] ?? q).join(' + ');
}

/** Items per page: a number, or a function of the items' labels (see `Display.capacityFor`). */
export type PageCapacity = number | ((items: readonly ItemView[]) => number);

/** A display's page capacity as `buildView` takes it. */
export function pageCapacityOf(display: Pick<Display, 'capacity' | 'capacityFor'>): PageCapacity {
  return display.capacityFor ? (items) => display.capacityFor!(items) : display.capacity;
}

export function buildView(board: BoardConfig, capacity: PageCapacity, inputs: ViewInputs, turn: TurnState): BoardView {
  const thresholds = boardThresholds(board, inputs.siteThresholds, inputs.serviceLevelTarget);
  const ctx = { lang: board.lang, thresholds, labels: board.labels, counters: inputs.counters, counterFreshMs: inputs.counterFreshMs, now: inputs.now };
  const items = board.items.map((id) => itemView(id, inputs.figures, ctx));
  const pages = paginate(items, board.pageSize ?? (typeof capacity === 'number' ? capacity : capacity(items)));
  const message = inputs.message && inputs.message.until > inputs.now ? inputs.message : null;
  return {
    boardId: board.id,
    kind: board.kind,
    lang: board.lang,
    dir: board.lang === 'fa' ? 'rtl' : 'ltr',
    at: inputs.now,
    state: inputs.figures ? 'live' : 'placeholder',
    title: boardTitle(board, inputs.queueNames),
    date: formatDate(inputs.now, board.lang, inputs.timeZone),
    time: formatTime(inputs.now, board.lang, inputs.timeZone),
    items,
    pages,
    page: turn.page % pages.length,
    message,
    messageTurn: message !== null && turn.messageTurn,
    brightness: brightnessAt(board, inputs),
  };
}

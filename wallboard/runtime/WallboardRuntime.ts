/**
 * All boards of a site, driven by committed events plus a 1 s tick for the
 * figures that change with time alone (longest wait, this hour's SL, the
 * clock line, counters going stale).
 *
 * Stale data is never shown as live: boards show the placeholder from the
 * moment they open until the first figures are read after the core started,
 * and again on a clean stop before they are released.
 */
import type { GatewayConfig } from '../../gateway/config/types.ts';
import type { Clock, Timer } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { BoardConfig, WallboardConfig } from '../config/BoardConfig.ts';
import type { Display, DisplayHealth } from '../display/Display.ts';
import type { CounterValue } from '../figures/figures.ts';
import { scopeFigures } from '../figures/scope.ts';
import type { BoardView } from '../model/BoardView.ts';
import { buildView, pageCapacityOf, type ViewInputs } from '../model/buildView.ts';
import { BoardDriver } from './BoardDriver.ts';
import type { WallboardSource } from './WallboardSource.ts';

export const TICK_MS = 1_000;

/** A board as status and `ccgate wallboard preview` see it. */
export interface BoardStatus extends DisplayHealth {
  id: string;
  kind: string;
  config: BoardConfig;
  /** The view last handed to the display; null before the first. */
  view: BoardView | null;
}

export interface WallboardRuntimeOptions {
  source: WallboardSource;
  site: Pick<GatewayConfig, 'site' | 'schedules' | 'queues' | 'kpi'>;
  wallboard: WallboardConfig;
  /** One display per configured board, in config order. */
  displays: ReadonlyMap<string, Display>;
  clock: Clock;
  logger: Logger;
}

export class WallboardRuntime {
  private readonly drivers: BoardDriver[] = [];
  private live = false;
  private tick: Timer | null = null;
  private unsubscribe: (() => void) | null = null;
  private memo: { at: number; seq: number; core: CoreReading } | null = null;
  private seq = 0;
  private readonly log: Logger;

  constructor(private readonly o: WallboardRuntimeOptions) {
    this.log = o.logger.child({ component: 'wallboard' });
    for (const board of o.wallboard.boards) {
      const display = o.displays.get(board.id);
      if (!display) throw new Error(`no display for board ${board.id}`);
      this.drivers.push(new BoardDriver(board, display, () => this.inputs(board.queues), o.clock, this.log));
    }
  }

  /** Open every display and show the placeholder; a display that cannot open reports it and is retried by its driver. */
  async open(): Promise<void> {
    await Promise.all(
      this.drivers.map(async (d) => {
        try {
          await d.display.open();
        } catch (e) {
          this.log.warn({ board: d.board.id, err: String(e) }, 'board did not open; its driver retries');
        }
        await d.showNow(this.placeholder(d));
      }),
    );
  }

  /** The core is running: figures are fresh from now on. */
  start(): void {
    this.live = true;
    this.memo = null;
    this.unsubscribe = this.o.source.subscribe((ev) => {
      this.seq = ev.seq;
      const started = ev.type === 'boardMessageShown';
      for (const d of this.drivers) {
        if (started) d.messageStarted();
        else d.changed();
      }
    });
    const beat = () => {
      this.tick = this.o.clock.setTimer('wallboard:tick', TICK_MS, beat);
      for (const d of this.drivers) d.changed();
    };
    beat();
  }

  /** Clean stop: every board shows the placeholder, then is released. */
  async stop(): Promise<void> {
    this.live = false;
    this.memo = null;
    this.unsubscribe?.();
    this.tick?.clear();
    for (const d of this.drivers) d.stop();
    await Promise.all(
      this.drivers.map(async (d) => {
        await d.showNow(this.placeholder(d));
        try {
          await d.display.close();
        } catch (e) {
          this.log.warn({ board: d.board.id, err: String(e) }, 'board did not close cleanly');
        }
      }),
    );
  }

  status(): BoardStatus[] {
    return this.drivers.map((d) => ({ id: d.board.id, kind: d.board.kind, config: d.board, ...d.display.health(), view: d.current }));
  }

  private placeholder(d: BoardDriver): BoardView {
    return buildView(d.board, pageCapacityOf(d.display), { ...this.inputs(d.board.queues), figures: null, message: null }, { page: 0, messageTurn: false });
  }

  /** The core's figures, read once per instant and event for all boards. */
  private core(): CoreReading {
    const now = this.o.clock.now();
    if (this.memo && this.memo.at === now && this.memo.seq === this.seq) return this.memo.core;
    const s = this.o.source;
    const core: CoreReading = this.live
      ? { kpis: s.kpis(), snapshot: s.snapshot(), counters: new Map(s.counters().map((c) => [c.name, { value: c.value, at: c.at }])), message: s.boardMessage() }
      : { kpis: null, snapshot: null, counters: new Map(), message: null };
    this.memo = { at: now, seq: this.seq, core };
    return core;
  }

  private inputs(queues: readonly string[]): ViewInputs {
    const { site, wallboard } = this.o;
    const c = this.core();
    return {
      now: this.o.clock.now(),
      timeZone: site.site.timeZone,
      figures: c.kpis && c.snapshot ? scopeFigures(c.kpis, c.snapshot, queues) : null,
      siteThresholds: wallboard.thresholds,
      serviceLevelTarget: site.kpi.serviceLevelTarget,
      counters: c.counters,
      counterFreshMs: wallboard.counterFreshMs,
      message: c.message,
      schedules: site.schedules,
      queueNames: Object.fromEntries(Object.entries(site.queues).map(([id, q]) => [id, q.name])),
    };
  }
}

interface CoreReading {
  kpis: ReturnType<WallboardSource['kpis']> | null;
  snapshot: ReturnType<WallboardSource['snapshot']> | null;
  counters: Map<string, CounterValue>;
  message: ReturnType<WallboardSource['boardMessage']>;
}

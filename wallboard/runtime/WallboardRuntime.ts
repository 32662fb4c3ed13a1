/**
 * All boards of a site, driven by committed events plus a 1 s tick for the
 * figures that change with time alone (longest wait, this hour's SL, the
 * clock line, counters going stale).
 *
 * The core is read (KPIs, agents, counters, the message) only when an event
 * was committed since the last reading or the local hour turned: between
 * events nothing it holds changes but the longest wait, which grows with the
 * clock while anyone waits and is advanced here. A quiet second costs no
 * reading of the core, whose KPI snapshot and status are far dearer than a
 * board's view. Agents' states are taken from the status once when the core
 * starts and then followed through the committed `agentStateChanged` events
 * (the core emits one for every change), as the KPIs are: the status also
 * counts the SMS outbox and the database, work a board has no use for.
 *
 * The cloud link is the exception: it changes without events (the link
 * drops, the broker acknowledges), so it is read once a tick, and only when
 * some board shows a cloud item.
 *
 * Stale data is never shown as live: boards show the placeholder from the
 * moment they open until the first figures are read after the core started,
 * and again on a clean stop before they are released.
 */
import type { GatewayConfig } from '../../gateway/config/types.ts';
import type { Clock, Timer } from '../../gateway/core/Clock.ts';
import { localHourStart } from '../../gateway/core/localTime.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { CloudStatus, GatewaySnapshot, LineStatus } from '../../gateway/GatewayApi.ts';
import type { BoardConfig, WallboardConfig } from '../config/BoardConfig.ts';
import type { Display, DisplayHealth } from '../display/Display.ts';
import { isCloudItem, type CounterValue } from '../figures/figures.ts';
import { scopeFigures, type ScopeFigures } from '../figures/scope.ts';
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
  /** Pending notification of the events of the commit being delivered. */
  private batch: Timer | null = null;
  private unsubscribe: (() => void) | null = null;
  private reading: Reading | null = null;
  /** Every configured agent's state and queues, as the committed events leave them; null until first read. */
  private agents: AgentStates | null = null;
  private seq = 0;
  /** The cloud link and the lines change without committed events: read on the tick, once for every board. */
  private readonly cloudAt = perTick<CloudStatus>(() => this.o.source.cloudStatus?.() ?? null, (e) => this.log.warn({ err: String(e) }, 'cloud link status could not be read'));
  private readonly showsCloud: boolean;
  private readonly showsLines: boolean;
  private readonly linesAt = perTick<LineStatus>(() => this.o.source.lineStatus?.() ?? null, (e) => this.log.warn({ err: String(e) }, 'line status could not be read'));
  private readonly log: Logger;
  private readonly queueNames: Readonly<Record<string, string>>;

  constructor(private readonly o: WallboardRuntimeOptions) {
    this.log = o.logger.child({ component: 'wallboard' });
    this.queueNames = Object.fromEntries(Object.entries(o.site.queues).map(([id, q]) => [id, q.name]));
    this.showsCloud = o.wallboard.boards.some((b) => b.items.some(isCloudItem));
    this.showsLines = o.wallboard.boards.some((b) => b.items.includes('linesInService'));
    for (const board of o.wallboard.boards) {
      const display = o.displays.get(board.id);
      if (!display) throw new Error(`no display for board ${board.id}`);
      const queues = board.queues;
      this.drivers.push(new BoardDriver(board, display, () => this.inputs(queues), o.clock, this.log));
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
    this.reading = null;
    this.agents = null;
    this.unsubscribe = this.o.source.subscribe((ev) => {
      this.seq = ev.seq;
      // Absolute: applying a change the status already showed changes nothing.
      if (ev.type === 'agentStateChanged') {
        const a = this.agents?.byId.get(ev.agent);
        if (a) a.state = ev.to;
      }
      if (ev.type === 'boardMessageShown') {
        for (const d of this.drivers) d.messageStarted();
        return;
      }
      // A commit hands over its events back to back in one instant: the boards
      // hear of them once, after the last, and read the core once for all of them.
      if (!this.batch?.pending) this.batch = this.o.clock.setTimer('wallboard:events', 0, () => this.changedAll());
    });
    const beat = () => {
      this.tick = this.o.clock.setTimer('wallboard:tick', TICK_MS, beat);
      this.changedAll();
    };
    beat();
  }

  private changedAll(): void {
    this.batch?.clear();
    for (const d of this.drivers) d.changed();
  }

  /** Clean stop: every board shows the placeholder, then is released. */
  async stop(): Promise<void> {
    this.live = false;
    this.reading = null;
    this.unsubscribe?.();
    this.tick?.clear();
    this.batch?.clear();
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

  /** The core as last read, read again after a committed event or when the local hour turns. */
  private core(now: number): Reading {
    const hour = localHourStart(now, this.o.site.site.timeZone);
    const r = this.reading;
    if (r && r.seq === this.seq && r.hour === hour) return r;
    const s = this.o.source;
    if (this.live && !this.agents) this.agents = agentStates(s.snapshot().agents);
    const core: CoreReading = this.live
      ? { kpis: s.kpis(), agents: this.agents!.list, counters: new Map(s.counters().map((c) => [c.name, { value: c.value, at: c.at }])), message: s.boardMessage() }
      : { kpis: null, agents: null, counters: new Map(), message: null };
    this.reading = { at: now, seq: this.seq, hour, core, scopes: new Map() };
    return this.reading;
  }

  /** A scope's figures at `now`: computed once per reading, the longest wait advanced since it. */
  private figures(reading: Reading, queues: readonly string[], now: number): ScopeFigures | null {
    const { kpis, agents } = reading.core;
    if (!kpis || !agents) return null;
    let f = reading.scopes.get(queues);
    if (!f) {
      f = scopeFigures(kpis, { agents }, queues);
      reading.scopes.set(queues, f);
    }
    // The same callers still wait (any change would be an event): each has waited `now - at` longer.
    const waited = f.callsWaiting > 0 && now !== reading.at ? { ...f, longestWaitMs: f.longestWaitMs + (now - reading.at) } : f;
    const withCloud = this.showsCloud ? { ...waited, cloud: this.cloudAt(now) } : waited;
    return this.showsLines ? { ...withCloud, lines: this.linesAt(now) } : withCloud;
  }


  private inputs(queues: readonly string[]): ViewInputs {
    const { site, wallboard } = this.o;
    const now = this.o.clock.now();
    const r = this.core(now);
    return {
      now,
      timeZone: site.site.timeZone,
      figures: this.figures(r, queues, now),
      siteThresholds: wallboard.thresholds,
      serviceLevelTarget: site.kpi.serviceLevelTarget,
      counters: r.core.counters,
      counterFreshMs: wallboard.counterFreshMs,
      message: r.core.message,
      schedules: site.schedules,
      queueNames: this.queueNames,
    };
  }
}

interface Reading {
  /** When the core was read, the seq of the last event then, and the local hour it was in. */
  at: number;
  seq: number;
  hour: number;
  core: CoreReading;
  /** Figures per board scope (the board's own queues array), for this reading. */
  scopes: Map<readonly string[], ScopeFigures>;
}

interface CoreReading {
  kpis: ReturnType<WallboardSource['kpis']> | null;
  agents: SnapshotAgents | null;
  counters: Map<string, CounterValue>;
  message: ReturnType<WallboardSource['boardMessage']>;
}

type SnapshotAgents = GatewaySnapshot['agents'];
interface AgentStates {
  list: SnapshotAgents;
  byId: Map<string, SnapshotAgents[number]>;
}

/** Own copies of the status's agents, whose states the events then move. */
function agentStates(from: SnapshotAgents): AgentStates {
  const list = from.map((a) => ({ ...a }));
  return { list, byId: new Map(list.map((a) => [a.id, a])) };
}

/** `read` at most once per instant, shared by every board on that tick; a failing read logs and gives null (the placeholder). */
function perTick<T>(read: () => T | null, failed: (e: unknown) => void): (now: number) => T | null {
  let last: { at: number; value: T | null } | null = null;
  return (now) => {
    if (last?.at !== now) {
      let value: T | null = null;
      try {
        value = read();
      } catch (e) {
        failed(e);
      }
      last = { at: now, value };
    }
    return last.value;
  };
}

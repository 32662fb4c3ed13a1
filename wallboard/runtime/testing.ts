/**
 * Test doubles for the wallboard runtime: a display that records every view
 * it is shown, and a source fed by hand. For unit tests only; the real
 * displays are tested against their simulators and hardware harnesses.
 */
import type { GatewayEvent } from '../../gateway/events.ts';
import type { CloudStatus, GatewaySnapshot, LineStatus } from '../../gateway/GatewayApi.ts';
import type { KpiSnapshot } from '../../gateway/kpi/types.ts';
import type { BoardConfig } from '../config/BoardConfig.ts';
import type { Display, DisplayHealth } from '../display/Display.ts';
import type { BoardMessage, BoardView, ItemView } from '../model/BoardView.ts';
import type { WallboardSource } from './WallboardSource.ts';

export class RecordingDisplay implements Display {
  readonly shown: BoardView[] = [];
  opened = false;
  closed = false;
  /** Set by a test to stand for a display that measures its labels. */
  capacityFor?: (items: readonly ItemView[]) => number;
  constructor(
    readonly boardId: string,
    readonly capacity = 100,
  ) {}
  open(): Promise<void> {
    this.opened = true;
    return Promise.resolve();
  }
  show(view: BoardView): Promise<void> {
    this.shown.push(view);
    return Promise.resolve();
  }
  health(): DisplayHealth {
    return { ok: true, detail: 'recording', bytesWritten: 0 };
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
  last(): BoardView | undefined {
    return this.shown[this.shown.length - 1];
  }
}

type Listener = (ev: GatewayEvent & { seq: number }) => void;

export class ManualSource implements WallboardSource {
  private readonly listeners = new Set<Listener>();
  private seq = 0;
  reads = 0;
  message: BoardMessage | null = null;
  counterList: Array<{ name: string; value: number; at: number }> = [];
  /** The cloud link a test sets; `cloudReads` counts how often the runtime asked. */
  cloud: CloudStatus | null = null;
  cloudReads = 0;
  constructor(
    public kpiSnapshot: KpiSnapshot,
    public gatewaySnapshot: GatewaySnapshot,
  ) {}
  kpis(): KpiSnapshot {
    this.reads += 1;
    return this.kpiSnapshot;
  }
  snapshot(): GatewaySnapshot {
    return this.gatewaySnapshot;
  }
  counters() {
    return this.counterList;
  }
  boardMessage(): BoardMessage | null {
    return this.message;
  }
  /** The lines a test sets; undefined: this source has no line status. */
  lines: LineStatus | undefined = undefined;

  lineStatus(): LineStatus {
    return this.lines ?? { inService: 0, total: 0, trunksDown: 0 };
  }

  cloudStatus(): CloudStatus | null {
    this.cloudReads += 1;
    return this.cloud;
  }
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  emit(ev: GatewayEvent): void {
    this.seq += 1;
    for (const l of this.listeners) l({ ...ev, seq: this.seq });
  }
}

/** A board config with every default, overridden by `over`. */
export function boardConfig(over: Partial<BoardConfig> = {}): BoardConfig {
  return {
    id: 'b1',
    kind: 'web',
    connection: { kind: 'web', path: 'b1' },
    lang: 'en',
    title: null,
    queues: [],
    items: ['callsWaiting', 'longestWait', 'agentsReady', 'serviceLevelToday'],
    labels: {},
    pageSize: null,
    pageMs: 5_000,
    minIntervalMs: 250,
    thresholds: {},
    brightness: { open: 15, closed: 4, schedules: [] },
    beepOnCritical: false,
    ...over,
  };
}

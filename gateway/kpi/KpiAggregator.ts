import type { KpiConfig } from '../config/types.ts';
import { localHourStart, localParts } from '../core/localTime.ts';
import type { AgentState, DeliveryKind, EventConsumer, EventOf, StoredEvent } from '../events.ts';
import { period, staffingHint } from './derive.ts';
import { FcrTracker, type FcrRef } from './FcrTracker.ts';
import { HourlyBuckets } from './HourlyBuckets.ts';
import { addCounters, emptyCounters, sumCounters } from './KpiCounters.ts';
import { LiveState, type CallRef, type QueueEntry, type WrapUpDone } from './LiveState.ts';
import type { HourlyKpis, KpiCounters, KpiSet, KpiSnapshot } from './types.ts';

const HOUR_MS = 3_600_000;
/** Hourly history kept in memory: today and all of yesterday. */
const RETAIN_HOURS = 48;
/** A completed call is remembered this long so a late survey result lands in its hour. */
const SURVEY_MEMORY_MS = 2 * HOUR_MS;
/** Queue entries older than this are dropped as stale (a missed exit event). */
const STALE_ENTRY_MS = 24 * HOUR_MS;
/** Entry kinds that are customer calls into the queue (offered). Callback legs and campaign calls are ours. */
const OFFERED_KINDS: ReadonlySet<DeliveryKind> = new Set<DeliveryKind>(['inbound', 'agentCallback']);

/** Live state that predates the replayed events, read from the store after a restart. */
export interface LiveSeed {
  agents?: ReadonlyArray<{ agent: string; state: AgentState; queues: readonly string[] }>;
  callbacks?: ReadonlyArray<{ callbackId: string; queue: string }>;
}

/**
 * Earliest event time to replay into a fresh aggregator so that today's and
 * yesterday's hours are complete: local midnight of yesterday, minus one
 * spare hour in case a DST change shortened or lengthened a day (epoch ms).
 */
export function rebuildFromMs(now: number, timeZone: string): number {
  return localHourStart(now, timeZone) - (localParts(now, timeZone).hour + 25) * HOUR_MS;
}

/**
 * Queue KPIs computed from the event stream (docs/kpis.md has every
 * definition). State is a pure function of the events consumed: replaying
 * the events since `rebuildFromMs(now)` into a new aggregator reproduces
 * today's figures and every hour since yesterday's local midnight; the core
 * does that on restart (and seeds agents and callbacks older than that with
 * `primeLive`).
 */
export class KpiAggregator implements EventConsumer {
  readonly name = 'kpi';
  private readonly config: Readonly<KpiConfig>;
  private readonly buckets: HourlyBuckets;
  private readonly live = new LiveState();
  private readonly fcr: FcrTracker;
  /** Recently completed calls by callId, for surveys that follow the call. */
  private readonly recent = new Map<string, CallRef & { endedAt: number }>();
  private lastSeq = Number.NEGATIVE_INFINITY;
  /** Live events waiting for a replay in progress; null when none runs. */
  private held: StoredEvent[] | null = null;
  /** Latest event time seen (epoch ms): the aggregator's notion of "now" while consuming. */
  private clock = Number.NEGATIVE_INFINITY;
  private clockHour = Number.NaN;

  /**
   * @param config KPI definitions (thresholds in seconds, FCR window in hours).
   * @param timeZone IANA zone of the site; hours and "today" are local to it.
   */
  constructor(config: KpiConfig, timeZone: string) {
    this.config = { ...config };
    this.buckets = new HourlyBuckets(timeZone, RETAIN_HOURS);
    this.fcr = new FcrTracker(config.fcrWindowHours * HOUR_MS);
  }

  /** Seed agents and pending callbacks that predate the replayed events. */
  primeLive(seed: LiveSeed): void {
    this.live.prime(seed.agents ?? [], seed.callbacks ?? []);
  }

  /**
   * Apply one committed event. Events at or below the last seq seen are ignored (replay-safe). While a
   * replay runs ({@link beginReplay}), live events wait for it, so that older events are counted first.
   */
  consume(ev: StoredEvent): void {
    if (this.held) this.held.push(ev);
    else this.replay(ev);
  }

  /** From now until {@link endReplay}, events from {@link consume} wait; {@link replay} applies the older ones. */
  beginReplay(): void {
    this.held ??= [];
  }

  /** Apply the events that waited during the replay, in order. */
  endReplay(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const ev of held) this.replay(ev);
  }

  /** Apply one event now, replayed or live. */
  replay(ev: StoredEvent): void {
    if (ev.seq <= this.lastSeq) return;
    this.lastSeq = ev.seq;
    this.advanceClock(ev.at);
    switch (ev.type) {
      case 'queueEntered': return this.entered(ev);
      case 'queueConnected': return this.connected(ev);
      case 'queueCompleted': return this.completed(ev);
      case 'queueTransferred': return this.transferred(ev);
      case 'queueExited': return this.exited(ev);
      case 'callbackRequested':
        this.live.callbacks.set(ev.callbackId, ev.queue);
        this.at(this.buckets.hourStartOf(ev.at), ev.queue, (c) => { c.callbacksRequested += 1; });
        return;
      case 'callbackFinished': return this.callbackFinished(ev);
      case 'surveyOffered': {
        const ref = this.recent.get(ev.callId)?.hourStart ?? this.buckets.hourStartOf(ev.at);
        this.at(ref, ev.queue, (c) => { c.surveysOffered += 1; });
        return;
      }
      case 'surveyAnswered': {
        const ref = this.recent.get(ev.callId)?.hourStart ?? this.buckets.hourStartOf(ev.at);
        this.recent.delete(ev.callId);
        this.at(ref, ev.queue, (c) => {
          c.surveysAnswered += 1;
          if (ev.channel === 'sms') c.surveysAnsweredSms += 1;
          c.surveyScoreSum += ev.score;
          if (ev.score >= 4) c.surveyTop2 += 1;
        });
        return;
      }
      case 'surveyUnanswered':
        this.recent.delete(ev.callId);
        return;
      case 'smsQueued': {
        // The survey by SMS is an offer like the DTMF one, in the hour and queue of its call.
        if (ev.purpose !== 'survey' || !ev.queue) return;
        const ref = (ev.callId ? this.recent.get(ev.callId)?.hourStart : undefined) ?? this.buckets.hourStartOf(ev.at);
        this.at(ref, ev.queue, (c) => {
          c.surveysOffered += 1;
          c.surveysOfferedSms += 1;
        });
        return;
      }
      case 'agentLoggedIn': return this.live.loggedIn(ev.agent, ev.queues);
      case 'agentLoggedOut': return this.wrapUp(this.live.loggedOut(ev.agent, ev.at));
      case 'agentPaused': return this.live.paused(ev.agent);
      case 'agentUnpaused': return this.live.unpaused(ev.agent);
      case 'agentStateChanged': return this.wrapUp(this.live.changed(ev.agent, ev.to, ev.at));
      default:
        return;
    }
  }

  /** Apply `fn` to the counters of `queue` in hour `hourStart`, unless that hour is no longer retained. */
  private at(hourStart: number, queue: string, fn: (c: KpiCounters) => void): void {
    const c = this.buckets.counters(hourStart, queue);
    if (c) fn(c);
  }

  private readonly fcrSink = (ref: FcrRef, resolved: boolean): void => {
    this.at(ref.hourStart, ref.queue, (c) => {
      c.fcrEligible += 1;
      if (resolved) c.fcrResolved += 1;
    });
  };

  private advanceClock(at: number): void {
    if (at <= this.clock) return;
    this.clock = at;
    const hour = this.buckets.hourStartOf(at);
    if (hour === this.clockHour) return;
    // Once per hour: decide FCR windows that have passed, then drop what
    // falls out of the retained hours (in that order, so nothing decided is lost).
    this.clockHour = hour;
    this.fcr.settle(at, this.fcrSink);
    const floor = this.buckets.prune(hour);
    this.fcr.prune(floor);
    // Cut-offs from the hour, not from the event that opened it: whichever event
    // comes first in the hour, the same is forgotten, so a replay of only the
    // KPI_EVENT_TYPES (warmUp.ts) ends in the same state as the live run that saw them all.
    for (const [id, r] of this.recent) if (r.endedAt < hour - SURVEY_MEMORY_MS) this.recent.delete(id);
    // No call waits or talks for a day: an entry that old lost its exit
    // event, and keeping it would show a phantom caller forever.
    for (const [id, e] of this.live.entries) if (e.enteredAt < hour - STALE_ENTRY_MS) this.live.entries.delete(id);
  }

  /** The tracked entry, or an uncounted stand-in for one that entered before the replayed events. */
  private entryFor(callId: string, queue: string, at: number, kind: DeliveryKind): QueueEntry {
    const known = this.live.entries.get(callId);
    if (known) return known;
    const e: QueueEntry = { callId, queue, kind, enteredAt: at, hourStart: this.buckets.hourStartOf(at), counted: false, callerNumber: '', connected: false };
    this.live.entries.set(callId, e);
    return e;
  }

  private entered(ev: EventOf<'queueEntered'>): void {
    const counted = OFFERED_KINDS.has(ev.kind);
    const hourStart = this.buckets.hourStartOf(ev.at);
    this.live.entries.set(ev.callId, { callId: ev.callId, queue: ev.queue, kind: ev.kind, enteredAt: ev.at, hourStart, counted, callerNumber: ev.callerNumber, connected: false });
    if (!counted) return;
    this.fcr.entered(ev.callerNumber, ev.queue, ev.at, this.fcrSink);
    this.at(hourStart, ev.queue, (c) => { c.offered += 1; });
  }

  private connected(ev: EventOf<'queueConnected'>): void {
    const e = this.entryFor(ev.callId, ev.queue, ev.at, ev.kind);
    e.connected = true;
    if (!e.counted) return;
    const withinSl = ev.waitMs <= this.config.serviceLevelSec * 1000;
    this.at(e.hourStart, e.queue, (c) => {
      c.answered += 1;
      c.sumWaitAnsweredMs += ev.waitMs;
      if (withinSl) c.answeredWithinSl += 1;
      c.maxWaitMs = Math.max(c.maxWaitMs, ev.waitMs);
    });
  }

  private completed(ev: EventOf<'queueCompleted'>): void {
    const e = this.entryFor(ev.callId, ev.queue, ev.at, 'inbound');
    this.live.entries.delete(ev.callId);
    const ref: CallRef = { queue: e.queue, hourStart: e.hourStart };
    this.at(ref.hourStart, ref.queue, (c) => {
      c.handled += 1;
      c.sumTalkMs += ev.talkMs;
    });
    this.live.callCompleted(ev.agent, ref);
    this.recent.set(ev.callId, { ...ref, endedAt: ev.at });
    if (e.counted) this.fcr.callEnded(e.callerNumber, ref, ev.at);
  }

  /** Handed over by explicit call transfer: answered, but the talk time is unknown, so no handle time. */
  private transferred(ev: EventOf<'queueTransferred'>): void {
    const e = this.entryFor(ev.callId, ev.queue, ev.at, 'inbound');
    this.live.entries.delete(ev.callId);
    const ref: CallRef = { queue: e.queue, hourStart: e.hourStart };
    this.live.callCompleted(ev.agent, ref);
    this.recent.set(ev.callId, { ...ref, endedAt: ev.at });
    if (e.counted) this.fcr.callEnded(e.callerNumber, ref, ev.at);
  }

  private exited(ev: EventOf<'queueExited'>): void {
    const e = this.live.entries.get(ev.callId);
    this.live.entries.delete(ev.callId);
    // Exits of callback legs and campaign calls, or of entries from before
    // the replayed events, carry no call-level counters.
    if (!e || !e.counted) return;
    const { serviceLevelSec, shortAbandonSec } = this.config;
    this.at(e.hourStart, e.queue, (c) => {
      c.maxWaitMs = Math.max(c.maxWaitMs, ev.waitMs);
      switch (ev.reason) {
        case 'abandon':
        // A caller lost to a restart is counted as abandoned, as queue_log
        // writes ABANDON for it: both reports then agree. So is one the unit
        // stopped before serving (drain time over).
        case 'restart':
        case 'shutdown':
          c.abandoned += 1;
          if (ev.waitMs < shortAbandonSec * 1000) c.shortAbandons += 1;
          else if (ev.waitMs <= serviceLevelSec * 1000) c.abandonedWithinSl += 1;
          return;
        case 'timeout':
          c.timeouts += 1;
          return;
        case 'key':
          c.exitedWithKey += 1;
          return;
        case 'empty':
          c.exitedEmpty += 1;
          return;
      }
    });
  }

  private callbackFinished(ev: EventOf<'callbackFinished'>): void {
    const queue = this.live.callbacks.get(ev.callbackId);
    this.live.callbacks.delete(ev.callbackId);
    if (queue === undefined) return;
    this.at(this.buckets.hourStartOf(ev.at), queue, (c) => {
      if (ev.outcome === 'completed') c.callbacksCompleted += 1;
      else if (ev.outcome === 'failed' || ev.outcome === 'expired') c.callbacksFailed += 1;
    });
  }

  private wrapUp(done: WrapUpDone | null): void {
    if (done) this.at(done.call.hourStart, done.call.queue, (c) => { c.sumWrapUpMs += done.wrapMs; });
  }

  /**
   * The KPIs at `now` (epoch ms; the wallboard passes the clock time, tests
   * the latest event time). Read-only: open FCR windows that have passed by
   * `now` are shown as resolved without being recorded.
   */
  snapshot(now: number): KpiSnapshot {
    const curHour = this.buckets.hourStartOf(now);
    const prevHour = this.buckets.hourStartOf(curHour - 1);
    const today = this.buckets.dateOf(now);
    const floor = curHour - (RETAIN_HOURS - 1) * HOUR_MS;
    const rows = this.rows(now, floor, curHour);

    const queueIds = new Set<string>(this.live.queues());
    for (const r of rows) for (const q of r.queues.keys()) queueIds.add(q);

    const pick = (hourStart: number, queue: string | undefined): KpiCounters => {
      const r = rows.find((x) => x.hourStart === hourStart);
      return (queue === undefined ? r?.site : r?.queues.get(queue)) ?? emptyCounters();
    };
    const set = (queue: string | undefined): KpiSet => {
      const todayC = sumCounters(rows.filter((r) => r.date === today).map((r) => (queue === undefined ? r.site : r.queues.get(queue) ?? emptyCounters())));
      return {
        live: this.live.live(now, queue),
        today: period(todayC, this.config),
        currentHour: period(pick(curHour, queue), this.config),
        staffing: staffingHint(prevHour, pick(prevHour, queue), this.config),
      };
    };

    const queues: Record<string, KpiSet> = {};
    for (const q of [...queueIds].sort()) queues[q] = set(q);
    const hourly: HourlyKpis[] = rows.map((r) => ({ hourStart: r.hourStart, label: r.label, site: r.site, queues: Object.fromEntries(r.queues) }));
    return { at: now, definitions: { ...this.config }, site: set(undefined), queues, hourly };
  }

  /** Retained hours up to `curHour`, as copies with the FCR view at `now` added. */
  private rows(now: number, floor: number, curHour: number): Array<{ hourStart: number; date: string; label: string; site: KpiCounters; queues: Map<string, KpiCounters> }> {
    const rows = this.buckets
      .list()
      .filter((b) => b.hourStart >= floor && b.hourStart <= curHour)
      .map((b) => ({
        hourStart: b.hourStart,
        date: b.date,
        label: b.label,
        site: emptyCounters(),
        queues: new Map<string, KpiCounters>([...b.queues].map(([q, c]) => [q, { ...c }])),
      }));
    const byHour = new Map(rows.map((r) => [r.hourStart, r] as const));
    this.fcr.peek(now, (ref, pending, resolved) => {
      const c = byHour.get(ref.hourStart)?.queues.get(ref.queue);
      if (!c) return;
      c.fcrPending += pending;
      c.fcrEligible += resolved;
      c.fcrResolved += resolved;
    });
    for (const r of rows) for (const c of r.queues.values()) addCounters(r.site, c);
    return rows;
  }
}

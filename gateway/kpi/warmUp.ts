import type { Logger } from '../core/Logger.ts';
import type { GatewayEvent } from '../events.ts';
import type { Store } from '../store/Store.ts';
import type { KpiAggregator } from './KpiAggregator.ts';

/**
 * The event types {@link KpiAggregator.consume} acts on. Any other event only
 * moves the aggregator's clock, which the next of these moves as well, so a
 * replay after a restart reads only these (about half of the log, and the
 * other half is never parsed). Keep in step with the switch in `consume`.
 */
export const KPI_EVENT_TYPES = [
  'queueEntered', 'queueConnected', 'queueCompleted', 'queueTransferred', 'queueExited', 'callbackRequested',
  'callbackFinished', 'surveyOffered', 'surveyAnswered', 'surveyUnanswered', 'smsQueued', 'agentLoggedIn',
  'agentLoggedOut', 'agentPaused', 'agentUnpaused', 'agentStateChanged',
] as const satisfies ReadonlyArray<GatewayEvent['type']>;

/** Events read per query. */
const PAGE = 2000;
/**
 * Up to this many events in the log since the replay's start, the replay runs
 * inside start(). A busy site's two days (~500 000 events, a second of reading
 * on a Pi-class CPU) are replayed a page per turn of the event loop instead,
 * after the daemon is ready: KPIs are derived figures, and calls must not wait
 * for them.
 */
export const SYNC_REPLAY_EVENTS = 50_000;

export interface WarmUpOptions {
  /** Run `fn` on a later turn of the event loop (the gateway: a 0 ms timer of its clock). */
  defer(fn: () => void): void;
  /** The gateway stopped: leave the rest. */
  stopped(): boolean;
  log: Logger;
  /** Default {@link SYNC_REPLAY_EVENTS}. */
  syncEvents?: number;
}

/**
 * Replay into `kpi` the events since `fromMs` that were in the log when this
 * was called, only the {@link KPI_EVENT_TYPES}, a page at a time. A long replay
 * runs a page per deferred turn; events committed meanwhile wait in the
 * aggregator ({@link KpiAggregator.beginReplay}) and are counted after it, so
 * the figures end exactly as a full replay would leave them.
 * Returns true if the replay finished before returning.
 */
export function warmUpKpis(kpi: KpiAggregator, store: Pick<Store, 'firstSeqSince' | 'readEvents' | 'lastEventSeq'>, fromMs: number, o: WarmUpOptions): boolean {
  const first = store.firstSeqSince(fromMs);
  let after = first - 1;
  const end = store.lastEventSeq();
  /** One page; true when the replay has reached `end`. */
  const page = (): boolean => {
    const events = store.readEvents(after, PAGE, KPI_EVENT_TYPES);
    for (const ev of events) {
      if (ev.seq > end) return true;
      // A clock set back stamps a later event earlier: the same filter as readEventsSince.
      if (ev.at >= fromMs) kpi.replay(ev);
    }
    if (events.length < PAGE) return true;
    after = events[events.length - 1]!.seq;
    return false;
  };
  if (end - after <= (o.syncEvents ?? SYNC_REPLAY_EVENTS)) {
    while (!page());
    return true;
  }
  kpi.beginReplay();
  const step = (): void => {
    if (o.stopped()) return;
    let done = true;
    try {
      done = page();
    } catch (e) {
      o.log.error({ err: String(e) }, 'KPI replay failed; KPIs count from now on');
    }
    if (!done) return o.defer(step);
    kpi.endReplay();
    o.log.info({ fromSeq: first, toSeq: end }, 'KPIs replayed');
  };
  o.defer(step);
  return false;
}

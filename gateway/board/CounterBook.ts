/**
 * External counters: numbers another system counts (emails waiting, chats,
 * social messages) and sets through the API or, later, the cloud. Kept in
 * the store's meta table as one small JSON document, so they survive a
 * restart without a schema change (the set is bounded by MAX_COUNTERS).
 * Freshness is the boards' business: the book only records when each value
 * was set.
 */
import type { Logger } from '../core/Logger.ts';
import type { NewEvent } from '../core/Transactor.ts';
import type { CounterSource, StoredEvent } from '../events.ts';
import type { Store } from '../store/Store.ts';
import { BoardInputError, checkCounterName, checkCounterValue, COUNTER_NAME, MAX_COUNTER_VALUE, MAX_COUNTERS } from './boardInput.ts';
import type { CounterReading } from './types.ts';

/** Meta key holding the counters: `{"v":1,"counters":[{name,value,at,source},…]}`. */
export const COUNTERS_META_KEY = 'board.counters';

/** What the book needs from the core. */
export interface CounterBookDeps {
  store: Pick<Store, 'getMeta' | 'setMeta'>;
  /** Records the fact in the current input's batch (Transactor.emit). */
  emit(ev: NewEvent): StoredEvent;
  log: Logger;
}

/** The external counters, in memory and in the store's meta; written only inside an input. */
export class CounterBook {
  private readonly byName = new Map<string, CounterReading>();

  constructor(private readonly deps: CounterBookDeps) {
    for (const c of decodeCounters(deps.store.getMeta(COUNTERS_META_KEY), deps.log)) this.byName.set(c.name, c);
  }

  /**
   * Set a counter (creating it if new) and emit `counterSet`. Call inside an
   * input (Transactor.run): the event and the stored value commit together.
   * @throws BoardInputError on a bad name or value, or a new name past MAX_COUNTERS.
   */
  set(name: string, value: number, source: CounterSource): CounterReading {
    checkCounterName(name);
    checkCounterValue(value);
    if (!this.byName.has(name) && this.byName.size >= MAX_COUNTERS) {
      throw new BoardInputError('counterLimit', `too many counters: ${MAX_COUNTERS} are kept, ${JSON.stringify(name)} would be one more`, { name, limit: MAX_COUNTERS });
    }
    const ev = this.deps.emit({ type: 'counterSet', name, value, source });
    const reading: CounterReading = { name, value, at: ev.at, source };
    const next = new Map(this.byName).set(name, reading);
    this.deps.store.setMeta(COUNTERS_META_KEY, encodeCounters(next.values()));
    // Memory follows the store only once both writes went through.
    this.byName.set(name, reading);
    return { ...reading };
  }

  /** Every counter, by name. */
  all(): CounterReading[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((c) => ({ ...c }));
  }
}

function encodeCounters(list: Iterable<CounterReading>): string {
  return JSON.stringify({ v: 1, counters: [...list].map(({ name, value, at, source }) => ({ name, value, at, source })) });
}

/**
 * Read the stored counters, skipping (and logging) anything malformed: a
 * damaged entry must not stop the gateway taking calls, and the feeder sets
 * the value again soon enough.
 */
export function decodeCounters(raw: string | undefined, log: Logger): CounterReading[] {
  if (raw === undefined || raw === '') return [];
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    log.warn({ key: COUNTERS_META_KEY }, 'stored counters are not JSON; starting with none');
    return [];
  }
  const list = typeof doc === 'object' && doc !== null && 'counters' in doc && Array.isArray(doc.counters) ? (doc.counters as unknown[]) : null;
  if (list === null) {
    log.warn({ key: COUNTERS_META_KEY }, 'stored counters have an unknown layout; starting with none');
    return [];
  }
  const out: CounterReading[] = [];
  for (const item of list) {
    if (isReading(item) && out.length < MAX_COUNTERS) out.push({ name: item.name, value: item.value, at: item.at, source: item.source });
    else log.warn({ key: COUNTERS_META_KEY, entry: String(JSON.stringify(item)).slice(0, 200) }, 'skipped a malformed stored counter');
  }
  return out;
}

function isReading(x: unknown): x is CounterReading {
  if (typeof x !== 'object' || x === null) return false;
  const c = x as Partial<Record<keyof CounterReading, unknown>>;
  return (
    typeof c.name === 'string' && COUNTER_NAME.test(c.name) &&
    typeof c.value === 'number' && Number.isInteger(c.value) && c.value >= 0 && c.value <= MAX_COUNTER_VALUE &&
    typeof c.at === 'number' && Number.isFinite(c.at) &&
    (c.source === 'api' || c.source === 'cloud')
  );
}

import type { Store } from '../store/Store.ts';

/** A consumer's position in the event log: every event up to `get()` is done with. */
export interface DurableCursor {
  readonly name: string;
  get(): number;
  /** Record progress (a store write: durable with the next commit). */
  set(seq: number): void;
}

/** Meta key of a consumer's cursor; `cursor:queue_log` predates the registry and keeps its name. */
export const cursorKey = (name: string): string => `cursor:${name}`;

/**
 * The one place consumers that read the event log from a durable cursor
 * (the queue_log writer, the cloud outbox) are registered. Retention prunes
 * an event only once every registered cursor has passed it, unless a hard
 * cap forces it. In-memory subscribers (boards, the API's event stream) are
 * not registered: they never hold back pruning.
 */
export class DurableCursors {
  private readonly byName = new Map<string, DurableCursor>();

  constructor(private readonly store: Store) {}

  /** Register (or get again) the cursor named `name`. */
  register(name: string): DurableCursor {
    const known = this.byName.get(name);
    if (known) return known;
    const { store } = this;
    const key = cursorKey(name);
    const cursor: DurableCursor = {
      name,
      get: () => Number(store.getMeta(key) ?? '0'),
      set: (seq) => store.setMeta(key, String(seq)),
    };
    this.byName.set(name, cursor);
    return cursor;
  }

  all(): DurableCursor[] {
    return [...this.byName.values()];
  }
}

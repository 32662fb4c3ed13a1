import type { GatewayEvent, StoredEvent } from '../events.ts';
import type { Store } from './Store.ts';

/** Events read per query while paging: memory stays bounded however many days the span holds. */
export const EVENT_PAGE = 2000;

/**
 * Hand every event with at >= fromMs to `fn`, in log order, one page at a
 * time (what `readEventsSince` returns, without holding it all: thirty days
 * of a busy site do not fit in the daemon's heap). `fn` returning false
 * stops the walk. With `types`, only events of those types are read (the
 * others are not even parsed). Returns how many events `fn` saw.
 */
export function forEachEventSince(
  store: Pick<Store, 'firstSeqSince' | 'readEvents'>,
  fromMs: number,
  fn: (ev: StoredEvent) => boolean | void,
  opts: { page?: number; types?: readonly GatewayEvent['type'][] } = {},
): number {
  const page = opts.page ?? EVENT_PAGE;
  let after = store.firstSeqSince(fromMs) - 1;
  let seen = 0;
  for (;;) {
    const events = store.readEvents(after, page, opts.types);
    for (const ev of events) {
      // A clock set back stamps a later event earlier: the same filter as readEventsSince.
      if (ev.at < fromMs) continue;
      seen++;
      if (fn(ev) === false) return seen;
    }
    if (events.length < page) return seen;
    after = events[events.length - 1]!.seq;
  }
}

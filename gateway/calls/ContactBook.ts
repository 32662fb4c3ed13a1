import type { Clock } from '../core/Clock.ts';
import type { ContactRecord, Store } from '../store/Store.ts';

/**
 * Each number's last agent contact, for the agent-callback offer. Written to
 * the store, read from memory: only contacts inside the offer window matter,
 * so older ones leave memory (insertion order is end order). Keyed by the
 * canonical number (gateway/numbers/normalise.ts): callers canonicalise
 * before `remember` and `get`, so a re-call written differently still finds it.
 */
export class ContactBook {
  private readonly recent = new Map<string, ContactRecord>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly windowMs: number,
  ) {
    const from = clock.now() - windowMs;
    for (const c of store.contacts.all().filter((c) => c.endedAt >= from).sort((a, b) => a.endedAt - b.endedAt)) this.recent.set(c.number, c);
  }

  get(number: string): ContactRecord | undefined {
    this.prune();
    return this.recent.get(number);
  }

  remember(c: ContactRecord): void {
    this.store.contacts.put(c);
    this.recent.delete(c.number);
    this.recent.set(c.number, { ...c });
    this.prune();
  }

  private prune(): void {
    const from = this.clock.now() - this.windowMs;
    for (const [n, c] of this.recent) {
      if (c.endedAt >= from) break;
      this.recent.delete(n);
    }
  }
}

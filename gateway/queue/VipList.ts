/**
 * The VIP list, owned by the store (table `vips`) and seeded from the YAML.
 *
 * Seeding rule, applied on every start (see docs/queues.md, "VIP callers"):
 *  - a YAML number the store has never seen is added with source 'config';
 *  - a row whose source is 'config' follows the YAML: its priority and name
 *    are updated, and it is removed (a tombstone) when the YAML no longer
 *    lists it; listed again later, it comes back;
 *  - a row set or removed at runtime (source 'api' or 'cloud', its tombstone
 *    included) is no longer changed by the YAML: what an operator or the
 *    cloud decided is not undone by the next restart.
 *
 * Numbers are keyed in canonical form under the site's numbering plan, so
 * `0912…` and `+98912…` are one VIP. A row keyed under an earlier plan is not
 * re-keyed when the plan changes: a 'config' row is replaced by the seeding,
 * a runtime one must be set again.
 *
 * `priority()` runs for every caller entering a queue: it reads a map kept in
 * memory, which follows the store only after the store write went through.
 */
import type { VipEntry, NumberingConfig } from '../config/types.ts';
import type { Clock } from '../core/Clock.ts';
import type { NewEvent } from '../core/Transactor.ts';
import type { StoredEvent, VipSource } from '../events.ts';
import type { VipInput } from '../GatewayApi.ts';
import { normaliseNumber } from '../numbers/normalise.ts';
import type { Store, VipRecord } from '../store/Store.ts';
import { checkVipName, checkVipNumber, checkVipPriority } from './vipInput.ts';

/** What the list needs from the core. */
export interface VipListDeps {
  store: Pick<Store, 'vips'>;
  plan: NumberingConfig;
  clock: Pick<Clock, 'now'>;
  /** Records the fact in the current input's batch (Transactor.emit). */
  emit(ev: NewEvent): StoredEvent;
}

export class VipList {
  /** Live VIPs (no tombstones) by canonical number. */
  private readonly live = new Map<string, VipRecord>();

  constructor(private readonly d: VipListDeps) {
    for (const r of d.store.vips.all()) if (!r.removed) this.live.set(r.number, r);
  }

  /** The caller's VIP priority (0 for none), however the number is written. */
  priority(number: string): number {
    if (!number) return 0;
    return this.live.get(normaliseNumber(number, this.d.plan))?.priority ?? 0;
  }

  /** Every VIP (no tombstones), highest priority first, then by number. */
  all(): VipRecord[] {
    return [...this.live.values()].sort((a, b) => b.priority - a.priority || (a.number < b.number ? -1 : a.number > b.number ? 1 : 0)).map((r) => ({ ...r }));
  }

  /**
   * Apply the YAML's `vip:` list by the seeding rule above. Call inside an
   * input (the start): every change is a `vipChanged` event in its batch.
   * Returns how many rows changed.
   */
  seed(entries: readonly VipEntry[]): number {
    const now = this.d.clock.now();
    const listed = new Set<string>();
    let changed = 0;
    for (const e of entries) {
      // The YAML was checked at load (duplicates under the plan refused); a number that is not digits still keys itself.
      const number = normaliseNumber(e.number, this.d.plan);
      listed.add(number);
      const old = this.d.store.vips.get(number);
      if (old && old.source !== 'config') continue;
      const rec: VipRecord = { number, given: e.number.trim(), priority: e.priority, name: e.name ?? null, source: 'config', updatedAt: now, removed: false };
      if (this.write(old, rec)) changed++;
    }
    for (const old of this.d.store.vips.all()) {
      if (old.source !== 'config' || old.removed || listed.has(old.number)) continue;
      if (this.write(old, { ...old, removed: true, updatedAt: now })) changed++;
    }
    return changed;
  }

  /**
   * Add or replace a VIP: the entry is the whole of it (priority 1 and no
   * name unless given). Setting what is already there changes nothing and
   * records nothing. Call inside an input.
   * @throws VipInputError (API_BAD_REQUEST) on a bad number, priority or name; nothing changes.
   */
  set(entry: VipInput, source: Exclude<VipSource, 'config'>): VipRecord {
    const number = checkVipNumber(entry.number, this.d.plan);
    const priority = checkVipPriority(entry.priority);
    const name = checkVipName(entry.name);
    const old = this.d.store.vips.get(number);
    const rec: VipRecord = { number, given: entry.number.trim(), priority, name, source, updatedAt: this.d.clock.now(), removed: false };
    return this.write(old, rec) ? { ...rec } : { ...old! };
  }

  /**
   * Remove a VIP, leaving a tombstone so the YAML does not bring it back.
   * False (and nothing written) when the number is not a VIP. Call inside an input.
   * @throws VipInputError (API_BAD_REQUEST) when `number` is not a phone number.
   */
  remove(number: string, source: Exclude<VipSource, 'config'>): boolean {
    const key = checkVipNumber(number, this.d.plan);
    const old = this.d.store.vips.get(key);
    if (!old || old.removed) return false;
    this.write(old, { ...old, source, removed: true, updatedAt: this.d.clock.now() });
    return true;
  }

  /** Store `rec` with its event unless it says what `old` says; memory follows once both went through. */
  private write(old: VipRecord | undefined, rec: VipRecord): boolean {
    if (old && same(old, rec)) return false;
    this.d.store.vips.put(rec);
    this.d.emit({ type: 'vipChanged', number: rec.number, priority: rec.removed ? null : rec.priority, source: rec.source });
    if (rec.removed) this.live.delete(rec.number);
    else this.live.set(rec.number, rec);
    return true;
  }
}

/** Equal in everything but when it was written. */
function same(a: VipRecord, b: VipRecord): boolean {
  return a.given === b.given && a.priority === b.priority && a.name === b.name && a.source === b.source && a.removed === b.removed;
}

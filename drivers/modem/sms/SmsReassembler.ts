import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { Concat } from './userData.ts';

/**
 * Joins the parts of a concatenated SMS (TS 23.040 §9.2.3.24.1), keyed by
 * (sender, reference, total) — each part arrives as its own `+CMTI`
 * (gsm-modems.md §6). The store is bounded (oldest message evicted) and each
 * incomplete message expires on the injected Clock, handing what arrived to
 * `onExpired` so nothing is silently lost.
 */

export interface SmsPart {
  from: string;
  text: string;
  /** Absent or total ≤ 1: a single-part message, returned at once. */
  concat?: Concat;
}

export interface AssembledSms {
  from: string;
  text: string;
  /** Number of parts joined. */
  parts: number;
}

export interface PartialSms {
  from: string;
  ref: number;
  total: number;
  /** Parts received, by 1-based sequence number. */
  received: ReadonlyMap<number, string>;
  reason: 'expired' | 'evicted';
}

export interface SmsReassemblerOptions {
  /** Incomplete messages kept at most; the oldest is evicted beyond this. */
  maxPending: number;
  /** How long to wait for the missing parts, ms (operators deliver parts seconds apart; allow minutes). */
  expiryMs: number;
  /** Called with the parts of a message that expired or was evicted. */
  onExpired?: (partial: PartialSms) => void;
}

const DEFAULTS: SmsReassemblerOptions = { maxPending: 64, expiryMs: 10 * 60_000 };

interface Pending {
  from: string;
  ref: number;
  total: number;
  parts: Map<number, string>;
  timer: Timer;
}

export class SmsReassembler {
  private readonly options: SmsReassemblerOptions;
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly clock: Clock,
    options: Partial<SmsReassemblerOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Add a part; returns the whole message once every part is in, else null. */
  add(part: SmsPart): AssembledSms | null {
    const c = part.concat;
    if (!c || c.total <= 1) return { from: part.from, text: part.text, parts: 1 };
    if (c.seq < 1 || c.seq > c.total) return null; // corrupt header: cannot place it
    const key = `${part.from}\u0000${c.ref}\u0000${c.total}`;
    let p = this.pending.get(key);
    if (!p) {
      this.evictIfFull();
      const timer = this.clock.setTimer('sms-reassembly', this.options.expiryMs, () => this.drop(key, 'expired'));
      p = { from: part.from, ref: c.ref, total: c.total, parts: new Map(), timer };
      this.pending.set(key, p);
    }
    // A duplicate part (modem re-delivery) keeps the first copy.
    if (!p.parts.has(c.seq)) p.parts.set(c.seq, part.text);
    if (p.parts.size < p.total) return null;
    p.timer.clear();
    this.pending.delete(key);
    let text = '';
    for (let i = 1; i <= p.total; i++) text += p.parts.get(i) ?? '';
    return { from: p.from, text, parts: p.total };
  }

  /** Incomplete messages held. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Cancel all timers and forget pending parts (driver close). */
  dispose(): void {
    for (const p of this.pending.values()) p.timer.clear();
    this.pending.clear();
  }

  private evictIfFull(): void {
    while (this.pending.size >= this.options.maxPending) {
      const oldest = this.pending.keys().next();
      if (oldest.done) return;
      this.drop(oldest.value, 'evicted');
    }
  }

  private drop(key: string, reason: PartialSms['reason']): void {
    const p = this.pending.get(key);
    if (!p) return;
    p.timer.clear();
    this.pending.delete(key);
    this.options.onExpired?.({ from: p.from, ref: p.ref, total: p.total, received: p.parts, reason });
  }
}

import type { Timer } from '../core/Clock.ts';
import type { Transactor } from '../core/Transactor.ts';
import type { SmsRecord } from '../store/Store.ts';
import { isSmsSendFailure, type MessagingPort } from '../trunk/MessagingPort.ts';
import { dropReason } from './dropReason.ts';
import { localDayBounds, quietUntil } from './manners.ts';
import type { SmsDeps, SmsOutbox } from './SmsOutbox.ts';

/** While SMS wait and no line can take one, look again this often (a call ends, a modem registers). */
const IDLE_RECHECK_MS = 15_000;
/** SMS read per look at the outbox: a few more than can go at once (one per line). */
const PUMP_PAGE = 16;
/**
 * A send the line never answers is given up after this long (a modem's own
 * prompt and +CMGS timeouts are 5 s and 40 s per part): the line is freed and
 * the SMS is retried, or `unknown` if its body went out.
 */
export const SEND_WATCHDOG_MS = 3 * 60_000;

/**
 * Sends the outbox over the lines that can carry SMS. One SMS at a time per
 * line, at least `sms.perModemGapMs` apart, only on a line with no call
 * (an AT+CMGS would hold the modem's command channel while a caller waits
 * for call control), least recently used first. Manners before each send:
 * quiet hours hold it, the daily cap holds it to the next day, and one held
 * past `sms.maxAgeMs` is dropped as stale.
 *
 * At most once: the port calls `beforeSubmit` just before the body goes to
 * the line and the SMS is committed as `submitting` right there; a failure
 * before that is retried, after it the SMS is `unknown` and never resent.
 */
export class SmsSender {
  private readonly sending = new Set<string>();
  private readonly busyLines = new Set<string>();
  private readonly lastSendAt = new Map<string, number>();
  private timer: Timer | null = null;
  private timerAt = Infinity;
  private stopped = false;
  /** The last pump left SMS waiting (for a line, a gap, quiet hours): worth a look when a line frees. */
  waiting = false;

  constructor(
    private readonly d: SmsDeps & { tx: Transactor },
    private readonly outbox: SmsOutbox,
    private readonly ports: readonly MessagingPort[],
  ) {}

  get lines(): Array<{ trunkId: string; ready: boolean; detail: string }> {
    return this.ports.map((p) => {
      const r = this.busyLines.has(p.id) ? { ready: false, detail: 'sending' } : p.smsReadiness();
      return { trunkId: p.id, ready: r.ready, detail: r.detail };
    });
  }

  stop(): void {
    this.stopped = true;
    this.timer?.clear();
    this.timer = null;
  }

  /** Send what may go now; arm a timer for what must wait. Runs inside an input. */
  pump(): void {
    if (this.stopped || this.ports.length === 0) return;
    const { store, clock } = this.d;
    const now = clock.now();
    let nextAt = Infinity;
    // No line can take an SMS (all carry calls, or wait out their gap): nothing to read. Drops and holds are
    // decided when a line is free, just before a send, as they would be.
    const free = this.chooseLine(now);
    if (!free.port) {
      this.waiting = true;
      this.arm(Math.min(free.freeAt, now + IDLE_RECHECK_MS));
      return;
    }
    let blocked = false;
    // Only what is due, a page at a time: SMS held to a later time (quiet hours, the day's cap) are looked at
    // when their time comes (the timer below), and a pump that finds no free line stops at the first SMS
    // that needs one. A busy evening can hold hundreds, and every call's end pumps while SMS wait.
    const seen = new Set<string>();
    pages: for (;;) {
      // Fixed per page: a send started below grows `sending`, and must not make a full page look short.
      const limit = PUMP_PAGE + this.sending.size;
      const page = store.sms.due(now, limit);
      let fresh = 0;
      for (const rec of page) {
        if (seen.has(rec.id)) continue;
        seen.add(rec.id);
        fresh++;
        if (this.sending.has(rec.id) || rec.status === 'submitting') continue;
        const why = dropReason(rec, this.d, now);
        if (why) {
          this.outbox.drop(rec, why);
          continue;
        }
        const held = this.holdUntil(rec, now);
        if (held > now) {
          nextAt = Math.min(nextAt, held);
          continue;
        }
        const line = this.chooseLine(now);
        if (!line.port) {
          blocked = true;
          nextAt = Math.min(nextAt, line.freeAt);
          break pages;
        }
        this.start(rec, line.port);
      }
      // Dropped, held and started SMS leave the due set, so the next page is new ones; none new: all seen.
      if (page.length < limit || fresh === 0) break;
    }
    // Only a line can move what is left: worth a pump when a call ends and frees one.
    this.waiting = blocked;
    const later = store.sms.nextDueAfter(now);
    if (later !== null) nextAt = Math.min(nextAt, later);
    if (blocked) nextAt = Math.min(nextAt, now + IDLE_RECHECK_MS);
    this.arm(nextAt);
  }

  /** Quiet hours or the daily cap: hold (committed, with its event) and say until when; `now` when it may go. */
  private holdUntil(rec: SmsRecord, now: number): number {
    const { config, store } = this.d;
    const quiet = quietUntil(now, config.sms.quietHours, config.site.timeZone);
    let until = quiet;
    let reason: 'quietHours' | 'dailyCap' = 'quietHours';
    if (until <= now && config.sms.dailyCap > 0) {
      const day = localDayBounds(now, config.site.timeZone);
      if (store.sms.sentSince(day.start) + this.sending.size >= config.sms.dailyCap) {
        until = day.next;
        reason = 'dailyCap';
      }
    }
    if (until <= now) return now;
    store.sms.put({ ...rec, status: 'held', notBefore: until, updatedAt: now });
    this.d.emit({ type: 'smsHeld', smsId: rec.id, reason, until });
    return until;
  }

  private chooseLine(now: number): { port: MessagingPort | null; freeAt: number } {
    let best: MessagingPort | null = null;
    let freeAt = Infinity;
    for (const p of this.ports) {
      if (this.busyLines.has(p.id) || !p.smsReadiness().ready) continue;
      const readyAt = (this.lastSendAt.get(p.id) ?? -Infinity) + this.d.config.sms.perModemGapMs;
      if (readyAt > now) {
        freeAt = Math.min(freeAt, readyAt);
        continue;
      }
      if (!best || (this.lastSendAt.get(p.id) ?? -Infinity) < (this.lastSendAt.get(best.id) ?? -Infinity)) best = p;
    }
    return { port: best, freeAt };
  }

  private start(rec: SmsRecord, port: MessagingPort): void {
    const { store, clock, tx } = this.d;
    const attempt = rec.attempts + 1;
    store.sms.put({ ...rec, status: 'pending', attempts: attempt, trunkId: port.id, updatedAt: clock.now() });
    this.sending.add(rec.id);
    this.busyLines.add(port.id);
    this.lastSendAt.set(port.id, clock.now());
    let submitted = false;
    let done = false;
    // Last look before the body goes: this attempt must still be the SMS's current one (not given up by
    // the watchdog, not dropped by an opt-out meanwhile). Throwing makes the driver cancel the body.
    const beforeSubmit = (): void => {
      if (submitted) return;
      if (done) throw new Error('send already given up');
      let refused: string | null = null;
      tx.run('sms-submitting', () => {
        const cur = store.sms.get(rec.id);
        if (!cur || cur.status !== 'pending' || cur.attempts !== attempt) {
          refused = `SMS is ${cur?.status ?? 'gone'}`;
          return;
        }
        const why = dropReason(cur, this.d, clock.now());
        if (why) {
          this.outbox.drop(cur, why);
          refused = why;
          return;
        }
        store.sms.put({ ...cur, status: 'submitting', updatedAt: clock.now() });
        this.d.emit({ type: 'smsSubmitting', smsId: rec.id, trunkId: port.id, attempt });
      });
      if (refused !== null) throw new Error(`not sent: ${refused as string}`);
      submitted = true;
      // Outside an input this commits now; a store that cannot commit stops the body from going out.
      tx.durable();
      if (!tx.health.ok) throw new Error(`store cannot commit: ${tx.health.detail}`);
    };
    let promise: Promise<{ refs: number[] }>;
    try {
      promise = port.sendSms({ to: rec.to, text: rec.text, beforeSubmit });
    } catch (e) {
      promise = Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    // Whichever comes first, the line's answer or the watchdog, settles the send; the other is ignored
    // (a late answer must not free the line under the next send).
    const settleNow = (fn: () => void): void => {
      if (done) return;
      done = true;
      watchdog.clear();
      this.finish(rec.id, port.id, fn);
    };
    const watchdog = clock.setTimer('sms-watchdog', SEND_WATCHDOG_MS, () =>
      settleNow(() => this.failed(rec.id, port.id, attempt, new Error(`no answer from ${port.id} in ${SEND_WATCHDOG_MS / 1000} s`), submitted)),
    );
    // The answer becomes an input of its own on the core's clock, in order with everything else.
    const later = (fn: () => void): void => {
      if (!this.stopped) clock.setTimer('sms-result', 0, () => settleNow(fn));
    };
    promise.then(
      (r) => later(() => this.sent(rec.id, port.id, r.refs)),
      (e: unknown) => later(() => this.failed(rec.id, port.id, attempt, e, submitted)),
    );
  }

  /** Inside an input: free the line, record the outcome, send what waits. */
  private finish(id: string, trunkId: string, fn: () => void): void {
    this.sending.delete(id);
    this.busyLines.delete(trunkId);
    fn();
    this.pump();
  }

  private sent(id: string, trunkId: string, refs: number[]): void {
    const cur = this.d.store.sms.get(id);
    if (!cur || cur.status !== 'submitting') return;
    this.d.store.sms.put({ ...cur, status: 'sent', refs, error: null, updatedAt: this.d.clock.now() });
    this.d.emit({ type: 'smsSent', smsId: id, trunkId, refs });
  }

  private failed(id: string, trunkId: string, attempt: number, e: unknown, hookRan: boolean): void {
    const { store, clock, config } = this.d;
    const cur = store.sms.get(id);
    // Only this attempt's own row: one dropped meanwhile (opt-out) or finished stays as it is.
    if (!cur || cur.attempts !== attempt || (cur.status !== 'pending' && cur.status !== 'submitting')) return;
    const error = e instanceof Error ? e.message : String(e);
    const now = clock.now();
    // The driver knows best whether the body reached the line; failing that, whether the hook let it go.
    const submitted = isSmsSendFailure(e) ? e.submitted : hookRan;
    if (submitted) {
      store.sms.put({ ...cur, status: 'unknown', error, updatedAt: now });
      this.d.emit({ type: 'smsUnknown', smsId: id, trunkId, reason: 'interrupted' });
      this.d.log.warn({ smsId: id, trunkId, err: error }, 'SMS body went to the modem but no answer came: unknown, not resent');
      return;
    }
    const last = attempt >= config.sms.attempts;
    const nextAt = last ? null : now + config.sms.retryGapMs;
    store.sms.put({ ...cur, status: last ? 'failed' : 'pending', notBefore: nextAt ?? 0, error, updatedAt: now });
    this.d.emit({ type: 'smsAttemptFailed', smsId: id, trunkId, attempt, error, nextAt });
    if (last) this.d.emit({ type: 'smsFailed', smsId: id, attempts: attempt, reason: error });
  }

  private arm(at: number): void {
    if (at === Infinity) return;
    if (this.timer?.pending && this.timerAt <= at) return;
    this.timer?.clear();
    this.timerAt = at;
    this.timer = this.d.clock.setTimer('sms-pump', Math.max(0, at - this.d.clock.now()), () => {
      this.timer = null;
      this.timerAt = Infinity;
      this.pump();
    });
  }
}

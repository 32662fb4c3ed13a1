import type { GatewayConfig } from '../config/types.ts';
import type { Clock } from '../core/Clock.ts';
import type { Logger } from '../core/Logger.ts';
import type { NewEvent } from '../core/Transactor.ts';
import type { SmsPurpose } from '../events.ts';
import type { SmsSummary } from '../GatewayApi.ts';
import type { SmsRecord, Store } from '../store/Store.ts';
import { localDayBounds } from './manners.ts';

export interface SmsDeps {
  config: GatewayConfig;
  store: Store;
  clock: Clock;
  log: Logger;
  emit(ev: NewEvent): void;
}

export interface SmsRequest {
  /** Canonical number. */
  to: string;
  text: string;
  purpose: SmsPurpose;
  language: string;
  /** The queue it is about (KPIs count survey SMS per queue). */
  queue?: string;
  callId?: string;
  callbackId?: string;
  campaignId?: string;
  targetId?: string;
}

const COUNTER_KEY = 'smsCounter';

/**
 * The outbox: every SMS is a row committed with its `smsQueued` event in the
 * batch of the fact that asked for it (a callback booked, a call ended), so
 * nothing is sent that was not first made durable, and nothing asked for is
 * lost to a crash. Opted-out numbers get a row too, dropped at once, so
 * status shows what was not sent and why.
 */
export class SmsOutbox {
  constructor(
    private readonly d: SmsDeps,
    /**
     * Some trunk can carry SMS (a modem, the simulator), ready or not. A site on E1 spans alone has none:
     * an SMS queued there could only wait until it went stale.
     */
    private readonly hasLines = true,
  ) {}

  /** Queue an SMS; returns its id, or null when SMS are off, no trunk can carry one, or there is no number to send to. */
  enqueue(req: SmsRequest): string | null {
    const { config, store, clock } = this.d;
    if (!config.sms.enabled || !this.hasLines || req.to === '' || !/\d/.test(req.to)) return null;
    const n = Number(store.getMeta(COUNTER_KEY) ?? '0') + 1;
    store.setMeta(COUNTER_KEY, String(n));
    const id = `sms-${n}`;
    const now = clock.now();
    const rec: SmsRecord = {
      id,
      to: req.to,
      text: req.text,
      purpose: req.purpose,
      language: req.language,
      status: 'pending',
      attempts: 0,
      notBefore: 0,
      createdAt: now,
      updatedAt: now,
      trunkId: null,
      refs: [],
      error: null,
      delivery: null,
      callId: req.callId ?? null,
      callbackId: req.callbackId ?? null,
      campaignId: req.campaignId ?? null,
      targetId: req.targetId ?? null,
    };
    store.sms.put(rec);
    const links = { ...(req.queue ? { queue: req.queue } : {}), ...(req.callId ? { callId: req.callId } : {}), ...(req.callbackId ? { callbackId: req.callbackId } : {}), ...(req.campaignId ? { campaignId: req.campaignId } : {}), ...(req.targetId ? { targetId: req.targetId } : {}) };
    this.d.emit({ type: 'smsQueued', smsId: id, to: req.to, purpose: req.purpose, language: req.language, ...links });
    // The acknowledgement of an opt-out is the one SMS an opted-out number still gets.
    if (req.purpose !== 'optOutAck' && store.optOuts.get(req.to)) this.drop(rec, 'optedOut');
    return id;
  }

  drop(rec: SmsRecord, reason: 'optedOut' | 'stale' | 'disabled' | 'withheld'): void {
    this.d.store.sms.put({ ...rec, status: 'dropped', error: reason, updatedAt: this.d.clock.now() });
    this.d.emit({ type: 'smsDropped', smsId: rec.id, reason });
  }

  /**
   * After a restart: an SMS caught between "body handed to the line" and the
   * network's answer may or may not have gone out. At most once: it is
   * `unknown`, never resent. The rest wait as they were.
   */
  recover(): { unknown: number; open: number } {
    const open = this.d.store.sms.open();
    let unknown = 0;
    for (const rec of open) {
      if (rec.status !== 'submitting') continue;
      this.d.store.sms.put({ ...rec, status: 'unknown', error: 'restarted while submitting', updatedAt: this.d.clock.now() });
      this.d.emit({ type: 'smsUnknown', smsId: rec.id, trunkId: rec.trunkId, reason: 'restart' });
      unknown++;
    }
    if (unknown > 0) this.d.log.warn({ unknown }, 'SMS interrupted by the restart after their text went to the modem: marked unknown, not resent');
    return { unknown, open: open.length - unknown };
  }

  summary(lines: SmsSummary['lines']): SmsSummary {
    const { store, clock, config } = this.d;
    const { start } = localDayBounds(clock.now(), config.site.timeZone);
    const open = store.sms
      .open(20)
      .map((r) => ({ id: r.id, to: r.to, purpose: r.purpose, status: r.status, attempts: r.attempts, notBefore: r.notBefore, createdAt: r.createdAt }));
    return { today: store.sms.countsSince(start), open, lines };
  }
}

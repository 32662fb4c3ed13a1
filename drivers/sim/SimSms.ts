import type { Clock } from '../../gateway/core/Clock.ts';
import { CcgateError } from '../../gateway/core/errors.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { MessagingSignal, SmsSendRequest, SmsSendResult } from '../../gateway/trunk/MessagingPort.ts';
import { chooseSmsMode } from '../modem/sms/text.ts';

/**
 * The simulated network's SMS side: what the trunks sent (per number, for
 * assertions), how sends behave (timing, scripted failures, delivery
 * reports), incoming messages and people who reply. All on the injected clock.
 *
 * A send goes like a modem's (drivers/modem/modem/SmsService.ts):
 *   sendSms ── promptMs ──► beforeSubmit() ── submitDelayMs ──► accepted (refs) ── reportAfterMs ──► smsStatus per part
 * A scripted failure happens at one of those points (see SimSmsBehaviour.failAs).
 */

/** How sends behave; change fields at any time (`network.smsBehaviour.failNext = 2`), read at each send. */
export interface SimSmsBehaviour {
  /** sendSms → beforeSubmit (the modem's `> ` prompt). Default 100 ms. */
  promptMs: number;
  /** beforeSubmit → the network accepted every part (`+CMGS`). Default 1 s. */
  submitDelayMs: number;
  /** The next n sends fail as `failAs` says (counted down by each send). Default 0. */
  failNext: number;
  /**
   * 'refused': before the body (a `+CMS ERROR` instead of the prompt): submitted false, beforeSubmit not called.
   * 'lost': after beforeSubmit the network never took it: submitted true, nobody receives it.
   * 'answerLost': the network took it (the recipient receives it, reports follow) but the answer was lost
   *   (an AT+CMGS timeout): submitted true — the at-most-once case.
   * 'hangBeforeSubmit' / 'hangAfterSubmit': the send never settles, stuck before or just after beforeSubmit
   *   (for tests that stop or kill the gateway mid-send; the trunk stays 'sending'). Default 'refused'.
   */
  failAs: 'refused' | 'lost' | 'answerLost' | 'hangBeforeSubmit' | 'hangAfterSubmit';
  /** Accepted → a delivery report (smsStatus) per part; null: no reports. Default 5 s. */
  reportAfterMs: number | null;
  /** The reports' status, fixed or per recipient. Default 'delivered'. */
  reportStatus: DeliveryReport | ((to: string) => DeliveryReport);
}

export type DeliveryReport = 'delivered' | 'failed' | 'pending';

export const SIM_SMS_DEFAULTS: Readonly<SimSmsBehaviour> = {
  promptMs: 100,
  submitDelayMs: 1_000,
  failNext: 0,
  failAs: 'refused',
  reportAfterMs: 5_000,
  reportStatus: 'delivered',
};

/** One SMS the network accepted (and the recipient got). */
export interface SimSmsRecord {
  trunk: string;
  to: string;
  text: string;
  /** Virtual time the network accepted it. */
  at: number;
  /** TP-MR per part. */
  refs: number[];
  /** The last delivery report sent for it (null: none yet, or reports are off). */
  report: DeliveryReport | null;
  /** The sender was told it failed (failAs 'answerLost') although it arrived. */
  answerLost: boolean;
}

/** One SMS injected towards the gateway. */
export interface SimSmsIncoming {
  from: string;
  text: string;
  /** The trunk it arrived on; null when no trunk could take it. */
  trunk: string | null;
  at: number;
}

/** A failed simulated send, as the core sees a driver's (MessagingPort SmsSendFailure). */
export class SimSmsError extends CcgateError {
  constructor(
    message: string,
    readonly submitted: boolean,
    cause?: unknown,
  ) {
    super('TRUNK_FAILED', message, { submitted }, { cause });
    this.name = 'SimSmsError';
  }
}

/** What the SMS centre needs from a trunk. */
export interface SmsTrunkSide {
  readonly id: string;
  readonly up: boolean;
  /** Deliver a messaging signal to the gateway (after the network latency). */
  emitMessage(signal: MessagingSignal): void;
}

/** Someone who answers the next SMS they get (a caller replying to the survey SMS). */
interface AutoReply {
  text: string;
  afterMs: number;
}

export class SimSmsCenter {
  behaviour: SimSmsBehaviour = { ...SIM_SMS_DEFAULTS };
  /** Every accepted SMS, in order. */
  readonly sent: SimSmsRecord[] = [];
  /** Every injected incoming SMS, in order. */
  readonly received: SimSmsIncoming[] = [];
  /** Totals, kept even without records: accepted by the network, failed sends, incoming. */
  readonly counts = { accepted: 0, failed: 0, received: 0 };
  private readonly replies = new Map<string, AutoReply[]>();
  /** The trunk that last sent to a number: its reply comes back on the same SIM. */
  private readonly lastTrunkTo = new Map<string, string>();
  private readonly mr = new Map<string, number>();

  constructor(
    private readonly o: {
      clock: Clock;
      log: Logger | null;
      trunks: () => readonly SmsTrunkSide[];
      /** false (a simulated record day): `sent` and `received` stay empty; `counts` still count. */
      keepRecords: boolean;
    },
  ) {}

  /** Accepted messages to `number`, oldest first. */
  smsTo(number: string): SimSmsRecord[] {
    return this.sent.filter((s) => s.to === number);
  }

  /**
   * `number` answers the next SMS it receives with `text`, `afterMs` after it
   * arrived (once per call of this method; several queue up).
   */
  replyToNextSms(number: string, reply: AutoReply): void {
    const list = this.replies.get(number) ?? [];
    list.push(reply);
    this.replies.set(number, list);
  }

  /**
   * An SMS from `from` reaches the gateway now: on `trunkId`, else on the
   * trunk that last sent to `from`, else on the first trunk that is up.
   * Returns the trunk id, or null when none is up (the message is then lost).
   */
  receive(from: string, text: string, trunkId?: string): string | null {
    const trunks = this.o.trunks();
    const wanted = trunkId ?? this.lastTrunkTo.get(from);
    const trunk = trunks.find((t) => t.id === wanted && t.up) ?? (trunkId === undefined ? trunks.find((t) => t.up) : undefined);
    this.counts.received++;
    if (this.o.keepRecords) this.received.push({ from, text, trunk: trunk?.id ?? null, at: this.o.clock.now() });
    if (!trunk) {
      this.o.log?.warn({ from, trunk: trunkId }, 'sim SMS: no trunk up to receive it');
      return null;
    }
    trunk.emitMessage({ kind: 'smsReceived', from, text });
    return trunk.id;
  }

  /** A trunk's send (the trunk checked readiness). Settles on the clock as SimSmsBehaviour says. */
  send(trunk: SmsTrunkSide, req: SmsSendRequest): Promise<SmsSendResult> {
    const b = this.behaviour;
    const failure = b.failNext > 0 ? b.failAs : null;
    if (failure) b.failNext--;
    return new Promise<SmsSendResult>((resolve, rejectWith) => {
      const reject = (e: SimSmsError): void => {
        this.counts.failed++;
        rejectWith(e);
      };
      if (failure === 'hangBeforeSubmit') return;
      this.after(b.promptMs, () => {
        if (failure === 'refused') return reject(new SimSmsError(`sim SMS to ${req.to} refused (scripted)`, false));
        if (!trunk.up) return reject(new SimSmsError(`sim SMS to ${req.to} not sent: trunk ${trunk.id} went down`, false));
        try {
          req.beforeSubmit();
        } catch (e) {
          return reject(new SimSmsError(`sim SMS to ${req.to} not sent: beforeSubmit threw`, false, e));
        }
        if (failure === 'hangAfterSubmit') return;
        this.after(this.behaviour.submitDelayMs, () => {
          if (failure === 'lost') return reject(new SimSmsError(`sim SMS to ${req.to} lost after submit (scripted)`, true));
          // The line died with the body sent and no answer: it may or may not have gone; the sim says not.
          if (!trunk.up) return reject(new SimSmsError(`sim SMS to ${req.to}: trunk ${trunk.id} went down after submit`, true));
          const record = this.accept(trunk, req, failure === 'answerLost');
          if (failure === 'answerLost') return reject(new SimSmsError(`sim SMS to ${req.to}: no answer from the network (scripted)`, true));
          resolve({ refs: [...record.refs] });
        });
      });
    });
  }

  private accept(trunk: SmsTrunkSide, req: SmsSendRequest, answerLost: boolean): SimSmsRecord {
    const refs: number[] = [];
    for (let i = 0; i < chooseSmsMode(req.text).parts; i++) refs.push(this.nextMr(trunk.id));
    const record: SimSmsRecord = { trunk: trunk.id, to: req.to, text: req.text, at: this.o.clock.now(), refs, report: null, answerLost };
    this.counts.accepted++;
    if (this.o.keepRecords) this.sent.push(record);
    this.lastTrunkTo.set(req.to, trunk.id);
    this.scheduleReports(trunk, record);
    const reply = this.replies.get(req.to)?.shift();
    if (reply) this.after(reply.afterMs, () => this.receive(req.to, reply.text, trunk.id));
    return record;
  }

  private scheduleReports(trunk: SmsTrunkSide, record: SimSmsRecord): void {
    const ms = this.behaviour.reportAfterMs;
    if (ms === null) return;
    const s = this.behaviour.reportStatus;
    const status = typeof s === 'function' ? s(record.to) : s;
    this.after(ms, () => {
      record.report = status;
      for (const ref of record.refs) trunk.emitMessage({ kind: 'smsStatus', ref, to: record.to, status });
    });
  }

  private nextMr(trunkId: string): number {
    const n = ((this.mr.get(trunkId) ?? 0) + 1) % 256;
    this.mr.set(trunkId, n);
    return n;
  }

  private after(ms: number, fn: () => void): void {
    this.o.clock.setTimer('sim.sms', ms, fn);
  }
}

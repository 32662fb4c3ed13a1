import type { EventEmitter } from 'node:events';
import { CcgateError } from '../../../gateway/core/errors.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { MessagingSignal, SmsReadiness, SmsSendRequest, SmsSendResult } from '../../../gateway/trunk/MessagingPort.ts';
import { SmsSendError } from '../modem/SmsSendError.ts';
import type { SmsSendOptions, SmsServiceEvents } from '../modem/SmsService.ts';
import type { LineHealth } from './ModemLine.ts';

/**
 * The SMS side of a modem as the trunk needs it: SmsService implements it
 * (GsmModem.sms); unit tests use a fake. `send` rejects with a SmsSendError
 * (`submitted` says whether a body may have gone out).
 */
export interface ModemSms extends EventEmitter<SmsServiceEvents> {
  send(to: string, text: string, opts?: SmsSendOptions): Promise<number[]>;
}

export interface ModemMessagingOptions {
  trunkId: string;
  /** null: the line has no SMS (every send is refused). */
  sms: ModemSms | null;
  health(): LineHealth;
  /** A call is ringing, up, held, being dialled or still owed its hang-up on this modem. */
  callInProgress(): boolean;
  logger: Logger;
}

/**
 * The MessagingPort half of ModemTrunk (gateway/trunk/MessagingPort.ts).
 *
 * Readiness: an AT+CMGS holds the modem's one command channel for seconds
 * (prompt, body, the network's answer, up to the smsBody timeout), and call
 * control must not wait behind it. So a send starts only when the modem is up
 * and registered, carries no call at all (none ringing, active, held or being
 * dialled, and no hang-up still owed), and no other send is in flight. A call
 * that rings in during a send is still answered: its ATA queues behind the
 * AT+CMGS, within the trunk's answer wait.
 */
export class ModemMessaging {
  private listener: ((s: MessagingSignal) => void) | null = null;
  private sending = false;

  constructor(private readonly o: ModemMessagingOptions) {
    const sms = o.sms;
    if (!sms) return;
    sms.on('received', (m) => this.signal({ kind: 'smsReceived', from: m.from, text: m.text }));
    sms.on('statusReport', (r) => this.signal({ kind: 'smsStatus', ref: r.ref, to: r.to, status: r.status }));
  }

  setMessageListener(listener: (signal: MessagingSignal) => void): void {
    this.listener = listener;
  }

  smsReadiness(): SmsReadiness {
    if (!this.o.sms) return { ready: false, detail: 'no SMS on this line' };
    const h = this.o.health();
    if (!h.up) return { ready: false, detail: `modem down: ${h.detail}` };
    if (!h.canDial) return { ready: false, detail: `not registered: ${h.detail}` };
    if (this.sending) return { ready: false, detail: 'sending' };
    if (this.o.callInProgress()) return { ready: false, detail: 'call in progress' };
    return { ready: true, detail: 'ready' };
  }

  async sendSms(req: SmsSendRequest): Promise<SmsSendResult> {
    const readiness = this.smsReadiness();
    const sms = this.o.sms;
    if (!readiness.ready || !sms) {
      // Refused before anything reached the modem: the core may try again later or on another line.
      const code = readiness.detail.startsWith('not registered') ? 'MODEM_NOT_REGISTERED' : readiness.detail.startsWith('modem down') ? 'MODEM_UNRESPONSIVE' : 'TRUNK_NO_CHANNEL';
      throw new SmsSendError({ to: req.to, submitted: false, cause: new CcgateError(code, `refused on ${this.o.trunkId}: ${readiness.detail}`, { trunk: this.o.trunkId }) });
    }
    this.sending = true;
    try {
      const refs = await sms.send(req.to, req.text, { beforeSubmit: () => req.beforeSubmit() });
      this.o.logger.info({ trunk: this.o.trunkId, parts: refs.length, refs }, 'SMS sent');
      return { refs };
    } catch (e) {
      const submitted = e instanceof SmsSendError ? e.submitted : true;
      this.o.logger.warn({ trunk: this.o.trunkId, submitted, err: String(e) }, 'SMS send failed');
      // Anything but a SmsSendError is unexpected: assume the worst (it may have gone), never resend.
      throw e instanceof SmsSendError ? e : new SmsSendError({ to: req.to, submitted, cause: e });
    } finally {
      this.sending = false;
    }
  }

  private signal(s: MessagingSignal): void {
    if (!this.listener) {
      this.o.logger.warn({ trunk: this.o.trunkId, kind: s.kind }, 'SMS signal with no listener: dropped');
      return;
    }
    try {
      this.listener(s);
    } catch (e) {
      // The listener's failure must not unwind into the AT session's URC dispatch.
      this.o.logger.error({ trunk: this.o.trunkId, kind: s.kind, err: String(e) }, 'SMS listener threw');
    }
  }
}

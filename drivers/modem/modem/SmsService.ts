import { EventEmitter } from 'node:events';
import type { Clock } from '../../../gateway/core/Clock.ts';
import { CcgateError } from '../../../gateway/core/errors.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import { parseCmgrHeader } from '../messages/smsHeaders.ts';
import type { Urc } from '../messages/Urc.ts';
import { deliveryStatusOf, type DeliveryStatus } from '../sms/deliveryStatus.ts';
import { decodeDeliver, decodeStatusReport } from '../sms/pduDeliver.ts';
import { encodeSubmit } from '../sms/pduSubmit.ts';
import { SmsReassembler } from '../sms/SmsReassembler.ts';
import { chooseSmsMode, encodeUcs2Hex } from '../sms/text.ts';
import type { AtCommand, AtResponse } from '../session/AtCommand.ts';
import { SmsSendError } from './SmsSendError.ts';

export interface SmsReceived {
  from: string;
  text: string;
  parts: number;
}

/** A delivery report for one part sent earlier (its TP-MR is one of the refs `send` resolved with). */
export interface SmsStatusReport {
  /** TP-MR of the part, as `+CMGS: <mr>` gave it. */
  ref: number;
  /** The recipient as the network reports it. */
  to: string;
  status: DeliveryStatus;
  /** The raw TP-ST octet (TS 23.040 §9.2.3.15), for logs. */
  tpStatus: number;
}

export interface SmsServiceEvents {
  received: [message: SmsReceived];
  statusReport: [report: SmsStatusReport];
}

export interface SmsSendOptions {
  /**
   * Called once, synchronously, just before the first part's body is written
   * (after the modem's `> ` prompt). If it throws, that body is cancelled
   * with ESC and `send` rejects with `submitted: false`.
   */
  beforeSubmit?: () => void;
}

/** Memories the modem reads with a plain AT+CMGR (the preferred read storage on the families we know). */
const READ_MEMORIES = new Set(['', 'SM', 'ME', 'MT']);

/**
 * SMS over the AT session (3GPP TS 27.005): send in PDU mode (any script:
 * GSM 7-bit or UCS-2 so Persian and Chinese work, long texts concatenated) or
 * text mode for single-part texts, asking for a status report (TP-SRR);
 * receive on `+CMTI` by reading (`AT+CMGR`), decoding, reassembling parts and
 * deleting (`AT+CMGD`), or directly from `+CMT` when the modem routes messages
 * to the host. Status reports (`+CDSI` stored, `+CDS` routed; the init's
 * `AT+CNMI=2,1,0,2,0` asks for `+CDSI`) become `statusReport` events.
 */
export class SmsService extends EventEmitter<SmsServiceEvents> {
  private readonly reassembler: SmsReassembler;
  private readonly statusReports: boolean;
  private ref = 0;

  constructor(
    private readonly o: {
      send: (cmd: AtCommand) => Promise<AtResponse>;
      clock: Clock;
      logger: Logger;
      mode: 'pdu' | 'text';
      /** Ask the network for a status report per part (TP-SRR; default true). */
      statusReports?: boolean;
    },
  ) {
    super();
    this.statusReports = o.statusReports ?? true;
    this.reassembler = new SmsReassembler(o.clock, {
      onExpired: (p) => o.logger.warn({ from: p.from, ref: p.ref, got: p.received.size, of: p.total, reason: p.reason }, 'incomplete long SMS dropped'),
    });
  }

  /**
   * Send `text` to `to`; resolves with the message reference (TP-MR) of each
   * part. Rejects with a SmsSendError whose `code` is the cause's (AT_CMS,
   * e.g. 330 SMSC unknown; AT_TIMEOUT; SMS_INVALID) and whose `submitted`
   * says whether a body may have reached the network. The session sends ESC
   * when the `> ` prompt never comes.
   */
  async send(to: string, text: string, opts: SmsSendOptions = {}): Promise<number[]> {
    const progress = { submitted: false };
    // Runs inside the session just before each part's body is written: after it returns, the body goes out.
    const beforeBody = (): void => {
      if (!progress.submitted) opts.beforeSubmit?.();
      progress.submitted = true;
    };
    try {
      return await this.sendParts(to, text, beforeBody);
    } catch (e) {
      throw new SmsSendError({ to, submitted: progress.submitted, cause: e });
    }
  }

  private async sendParts(to: string, text: string, beforeBody: () => void): Promise<number[]> {
    if (text.length === 0) throw new CcgateError('SMS_INVALID', 'empty SMS text', { to });
    const choice = chooseSmsMode(text);
    if (this.o.mode === 'text' && choice.mode === 'text') return [await this.sendText(to, text, choice.encoding, beforeBody)];
    const parts = encodeSubmit({ to, text, reference: (this.ref = (this.ref + 1) % 256), requestStatusReport: this.statusReports });
    if (parts.length === 0) throw new CcgateError('SMS_INVALID', `cannot encode an SMS to ${JSON.stringify(to)}`, { to });
    if (this.o.mode === 'text') await this.o.send({ text: 'AT+CMGF=0', timeout: 'quick' });
    const refs: number[] = [];
    try {
      for (const p of parts) {
        const cmd: AtCommand = { text: `AT+CMGS=${p.tpduLength}`, expect: ['+CMGS:'], payload: p.pdu, timeout: 'smsBody', beforePayload: beforeBody };
        refs.push(mr(await this.o.send(cmd)));
      }
    } finally {
      if (this.o.mode === 'text') await this.o.send({ text: 'AT+CMGF=1', timeout: 'quick' }).catch(() => undefined);
    }
    return refs;
  }

  private async sendText(to: string, text: string, encoding: 'gsm7' | 'ucs2', beforeBody: () => void): Promise<number> {
    const ucs2 = encoding === 'ucs2';
    await this.o.send({ text: `AT+CSCS="${ucs2 ? 'UCS2' : 'GSM'}"`, timeout: 'quick' });
    // 27.005 §3.3.2: fo 17 = SMS-SUBMIT with relative validity (+32 = TP-SRR, 49), vp 167 = 24 h, dcs 8 = UCS2.
    await this.o.send({ text: `AT+CSMP=${this.statusReports ? 49 : 17},167,0,${ucs2 ? 8 : 0}`, timeout: 'quick' });
    const dest = ucs2 ? encodeUcs2Hex(to) : to;
    const body = ucs2 ? encodeUcs2Hex(text) : text;
    return mr(await this.o.send({ text: `AT+CMGS="${dest}"`, expect: ['+CMGS:'], payload: body, timeout: 'smsBody', beforePayload: beforeBody }));
  }

  onUrc(urc: Extract<Urc, { kind: 'smsStored' | 'smsDeliver' | 'statusReport' }>): void {
    if (urc.kind === 'smsStored') void this.fetch(urc.memory, urc.index);
    else if (urc.kind === 'smsDeliver') this.deliver(urc.pdu, urc.length);
    else if (urc.pdu !== null) this.report(urc.pdu);
    else if (urc.index !== null && READ_MEMORIES.has(urc.memory ?? '')) void this.fetch(urc.memory ?? '', urc.index);
    // "SR" (a status-report memory) would need AT+CPMS switched to read; the report is left there.
    else this.o.logger.info({ memory: urc.memory, index: urc.index }, 'SMS status report stored where it is not read');
  }

  private async fetch(memory: string, index: number): Promise<void> {
    try {
      if (!READ_MEMORIES.has(memory)) this.o.logger.debug({ memory }, 'SMS stored in another memory; reading from the current one');
      const r = await this.o.send({ text: `AT+CMGR=${index}`, expect: ['+CMGR:'], bodyLines: 1, timeout: 'normal' });
      const header = r.lines[0] !== undefined ? parseCmgrHeader(r.lines[0]) : null;
      const body = header?.mode === 'pdu' ? (header.pdu ?? r.lines[1]) : r.lines[1];
      if (header?.mode === 'pdu' && body) this.stored(body, header.length, index);
      else if (header?.mode === 'text' && body !== undefined) this.emit('received', { from: header.address ?? '', text: body, parts: 1 });
      else this.o.logger.warn({ index, lines: r.lines }, 'unreadable stored SMS');
      await this.o.send({ text: `AT+CMGD=${index}`, timeout: 'normal' });
    } catch (e) {
      this.o.logger.warn({ index, err: String(e) }, 'could not read a stored SMS');
    }
  }

  /** A stored PDU is a message (SMS-DELIVER) or, after `+CDSI`, a status report; the first octet tells which. */
  private stored(pdu: string, length: number, index: number): void {
    if (decodeDeliver(pdu, length)) this.deliver(pdu, length);
    else if (!this.report(pdu, length)) this.o.logger.warn({ index, pdu }, 'undecodable stored SMS PDU');
  }

  private deliver(pdu: string, length: number): void {
    const sms = decodeDeliver(pdu, length);
    if (!sms) {
      this.o.logger.warn({ pdu }, 'undecodable SMS PDU');
      return;
    }
    const whole = this.reassembler.add({ from: sms.from, text: sms.text, ...(sms.concat ? { concat: sms.concat } : {}) });
    if (whole) this.emit('received', whole);
  }

  private report(pdu: string, length?: number): boolean {
    const r = decodeStatusReport(pdu, length);
    if (!r) {
      this.o.logger.warn({ pdu }, 'undecodable SMS status report');
      return false;
    }
    const status = deliveryStatusOf(r.status);
    this.o.logger.info({ ref: r.reference, to: r.recipient, status, tpStatus: r.status }, 'SMS status report');
    this.emit('statusReport', { ref: r.reference, to: r.recipient, status, tpStatus: r.status });
    return true;
  }
}

function mr(r: AtResponse): number {
  const line = r.lines.find((l) => l.startsWith('+CMGS:'));
  const n = line ? Number.parseInt(line.slice(6).trim(), 10) : Number.NaN;
  return Number.isNaN(n) ? -1 : n;
}

import { EventEmitter } from 'node:events';
import type { Clock } from '../../../gateway/core/Clock.ts';
import { CcgateError } from '../../../gateway/core/errors.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import { parseCmgrHeader } from '../messages/smsHeaders.ts';
import type { Urc } from '../messages/Urc.ts';
import { decodeDeliver } from '../sms/pduDeliver.ts';
import { encodeSubmit } from '../sms/pduSubmit.ts';
import { SmsReassembler } from '../sms/SmsReassembler.ts';
import { chooseSmsMode, encodeUcs2Hex } from '../sms/text.ts';
import type { AtCommand, AtResponse } from '../session/AtCommand.ts';

export interface SmsReceived {
  from: string;
  text: string;
  parts: number;
}

export interface SmsServiceEvents {
  received: [message: SmsReceived];
}

/**
 * SMS over the AT session (3GPP TS 27.005): send in PDU mode (any script:
 * GSM 7-bit or UCS-2 so Persian and Chinese work, long texts concatenated) or
 * text mode for single-part texts; receive on `+CMTI` by reading
 * (`AT+CMGR`), decoding, reassembling parts and deleting (`AT+CMGD`), or
 * directly from `+CMT` when the modem routes messages to the host.
 */
export class SmsService extends EventEmitter<SmsServiceEvents> {
  private readonly reassembler: SmsReassembler;
  private ref = 0;

  constructor(private readonly o: { send: (cmd: AtCommand) => Promise<AtResponse>; clock: Clock; logger: Logger; mode: 'pdu' | 'text' }) {
    super();
    this.reassembler = new SmsReassembler(o.clock, {
      onExpired: (p) => o.logger.warn({ from: p.from, ref: p.ref, got: p.received.size, of: p.total, reason: p.reason }, 'incomplete long SMS dropped'),
    });
  }

  /**
   * Send `text` to `to`; resolves with the message reference of each part.
   * Rejects with AT_CMS (e.g. 330 SMSC unknown) or AT_TIMEOUT; the session
   * sends ESC when the `> ` prompt never comes.
   */
  async send(to: string, text: string): Promise<number[]> {
    if (text.length === 0) throw new CcgateError('SMS_INVALID', 'empty SMS text', { to });
    const choice = chooseSmsMode(text);
    if (this.o.mode === 'text' && choice.mode === 'text') return [await this.sendText(to, text, choice.encoding)];
    const parts = encodeSubmit({ to, text, reference: (this.ref = (this.ref + 1) % 256) });
    if (parts.length === 0) throw new CcgateError('SMS_INVALID', `cannot encode an SMS to ${JSON.stringify(to)}`, { to });
    if (this.o.mode === 'text') await this.o.send({ text: 'AT+CMGF=0', timeout: 'quick' });
    const refs: number[] = [];
    try {
      for (const p of parts) refs.push(mr(await this.o.send({ text: `AT+CMGS=${p.tpduLength}`, expect: ['+CMGS:'], payload: p.pdu, timeout: 'smsBody' })));
    } finally {
      if (this.o.mode === 'text') await this.o.send({ text: 'AT+CMGF=1', timeout: 'quick' }).catch(() => undefined);
    }
    return refs;
  }

  private async sendText(to: string, text: string, encoding: 'gsm7' | 'ucs2'): Promise<number> {
    const ucs2 = encoding === 'ucs2';
    await this.o.send({ text: `AT+CSCS="${ucs2 ? 'UCS2' : 'GSM'}"`, timeout: 'quick' });
    // 27.005 §3.3.2: fo 17 = SMS-SUBMIT with relative validity, vp 167 = 24 h, dcs 8 = UCS2.
    await this.o.send({ text: `AT+CSMP=17,167,0,${ucs2 ? 8 : 0}`, timeout: 'quick' });
    const dest = ucs2 ? encodeUcs2Hex(to) : to;
    const body = ucs2 ? encodeUcs2Hex(text) : text;
    return mr(await this.o.send({ text: `AT+CMGS="${dest}"`, expect: ['+CMGS:'], payload: body, timeout: 'smsBody' }));
  }

  onUrc(urc: Extract<Urc, { kind: 'smsStored' | 'smsDeliver' | 'statusReport' }>): void {
    if (urc.kind === 'smsStored') void this.fetch(urc.memory, urc.index);
    else if (urc.kind === 'smsDeliver') this.deliver(urc.pdu, urc.length);
    else this.o.logger.info({ memory: urc.memory, index: urc.index }, 'SMS status report');
  }

  private async fetch(memory: string, index: number): Promise<void> {
    try {
      if (memory && memory !== 'SM' && memory !== 'ME' && memory !== 'MT') this.o.logger.debug({ memory }, 'SMS stored in another memory; reading from the current one');
      const r = await this.o.send({ text: `AT+CMGR=${index}`, expect: ['+CMGR:'], bodyLines: 1, timeout: 'normal' });
      const header = r.lines[0] !== undefined ? parseCmgrHeader(r.lines[0]) : null;
      const body = header?.mode === 'pdu' ? (header.pdu ?? r.lines[1]) : r.lines[1];
      if (header?.mode === 'pdu' && body) this.deliver(body, header.length);
      else if (header?.mode === 'text' && body !== undefined) this.emit('received', { from: header.address ?? '', text: body, parts: 1 });
      else this.o.logger.warn({ index, lines: r.lines }, 'unreadable stored SMS');
      await this.o.send({ text: `AT+CMGD=${index}`, timeout: 'normal' });
    } catch (e) {
      this.o.logger.warn({ index, err: String(e) }, 'could not read a stored SMS');
    }
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
}

function mr(r: AtResponse): number {
  const line = r.lines.find((l) => l.startsWith('+CMGS:'));
  const n = line ? Number.parseInt(line.slice(6).trim(), 10) : Number.NaN;
  return Number.isNaN(n) ? -1 : n;
}

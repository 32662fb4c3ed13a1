import { CcgateError } from '../../../gateway/core/errors.ts';
import type { AtCommand } from '../session/AtCommand.ts';
import type { InitOptions, InitStep, ModemProfile, ModemQuirks, ProfileQueries } from './ModemProfile.ts';

/**
 * Pure builders for the plain 3GPP TS 27.007 / 27.005 commands every family
 * shares. Timeout classes follow gsm-modems.md §9: quick (2 s) for short
 * settings and CLCC, normal (10 s) for CPIN/COPS/VTS, call (40 s) for ATA,
 * CHUP, CHLD (wdoekes#50: ATA timed out mid-call with a short timeout), dial
 * (60 s) for ATD.
 */

/** A setting that answers only OK (ATE0, AT+CLIP=1 …). */
export function setting(text: string, timeout: AtCommand['timeout'] = 'quick'): AtCommand {
  return { text, timeout };
}

/** An idempotent query: the session may retry it (STYLE rule 12). */
export function query(text: string, expect: readonly string[] | 'any', timeout: AtCommand['timeout'] = 'quick'): AtCommand {
  return { text, expect, timeout, retryable: true };
}

/** V.250 §6.3.1 dial digits and modifiers; anything else (`;`, quotes, CR) could smuggle a second command. */
const DIAL_STRING = /^\+?[0-9*#A-Da-d,pPwW]+$/;
/** 27.007 §C.2.11 AT+VTS: one of 0–9, *, #, A–D. */
const DTMF_DIGIT = /^[0-9*#A-D]$/;

export function assertDialString(number: string): void {
  if (!DIAL_STRING.test(number)) {
    throw new CcgateError('MODEM_UNSUPPORTED', `not a dial string: ${JSON.stringify(number)}`, { number });
  }
}

export function assertDtmfDigit(digit: string): void {
  if (!DTMF_DIGIT.test(digit)) {
    throw new CcgateError('MODEM_UNSUPPORTED', `not a DTMF digit: ${JSON.stringify(digit)}`, { digit });
  }
}

/** ATA: 'dial' finals because NO CARRIER ends it (P5); 'call' timeout. Never retryable. */
export function answerCommand(): AtCommand {
  return { text: 'ATA', timeout: 'call', finals: 'dial', priority: 'urgent' };
}

/**
 * AT+CHUP, or AT+CHLD=1<idx> to release only call idx (27.007 §7.13). Never
 * AT+QHUP: it made an EP06 stop responding (RoEdAl/asterisk-chan-quectel#3).
 * Urgent: a hang-up jumps the queue (chan_dongle `athead`).
 */
export function hangupCommand(index?: number): AtCommand {
  if (index === undefined) return { text: 'AT+CHUP', timeout: 'call', priority: 'urgent' };
  if (!Number.isInteger(index) || index < 1 || index > 9) {
    // AT+CHLD=1x takes one digit (27.007 §7.13: x is the CLCC index, 1–9 in practice).
    throw new CcgateError('MODEM_UNSUPPORTED', `no such call index for AT+CHLD=1x: ${index}`, { index });
  }
  return { text: `AT+CHLD=1${index}`, timeout: 'call', priority: 'urgent' };
}

/** `ATD<number>;` (`;` = voice call, V.250 §6.3.1); finals 'dial' (BUSY/NO ANSWER/NO CARRIER end it). */
export function dialCommand(number: string): AtCommand {
  assertDialString(number);
  return { text: `ATD${number};`, timeout: 'dial', finals: 'dial' };
}

export function chldCommand(n: 2 | 3 | 4): AtCommand {
  return { text: `AT+CHLD=${n}`, timeout: 'call' };
}

/** AT+VTS=<d> (27.007 §C.2.11); normal class (§9). */
export function vtsCommand(digit: string): AtCommand {
  assertDtmfDigit(digit);
  return { text: `AT+VTS=${digit}`, timeout: 'normal' };
}

/** AT+CLCC: urgent (chan_dongle puts CLCC at the queue head), retryable, quick. */
export function clccCommand(): AtCommand {
  return { text: 'AT+CLCC', expect: ['+CLCC:'], timeout: 'quick', retryable: true, priority: 'urgent' };
}

/** Identification queries; their answers are bare text, hence expect 'any'. */
export function identificationQueries(): AtCommand[] {
  return ['ATI', 'AT+CGMI', 'AT+CGMM', 'AT+CGMR', 'AT+CGSN'].map((text) => query(text, 'any', 'normal'));
}

/** The standard status queries; `cpinNoOk` adds completesOn for modems that answer AT+CPIN? without OK. */
export function standardQueries(opts: { lte: boolean; cpinNoOk: boolean }): ProfileQueries {
  const cpin: AtCommand = query('AT+CPIN?', ['+CPIN:'], 'normal');
  // Wavecom answers AT+CPIN? with `+CPIN: READY` and no OK (python-gsmmodem #19, gsm-modems.md P6).
  if (opts.cpinNoOk) cpin.completesOn = ['+CPIN:'];
  return {
    csq: query('AT+CSQ', ['+CSQ:']),
    creg: query('AT+CREG?', ['+CREG:']),
    cereg: opts.lte ? query('AT+CEREG?', ['+CEREG:']) : null,
    cops: query('AT+COPS?', ['+COPS:'], 'normal'),
    cpin,
    identification: identificationQueries(),
  };
}

/** The head of every init list: echo off, numeric errors, caller ID. */
export function baseInitSteps(): InitStep[] {
  return [
    { cmd: setting('ATE0'), why: 'echo off; volatile, re-sent after every reboot (gsm-modems.md P7)' },
    { cmd: setting('AT+CMEE=1'), why: 'numeric +CME ERROR codes so failures map to typed errors (27.007 §9.1)' },
    { cmd: setting('AT+CLIP=1'), why: 'caller ID (+CLIP) with every ring (27.007 §7.18)' },
  ];
}

/** The SMS and registration tail every family shares. */
export function smsAndRegistrationSteps(opts: InitOptions, lte: boolean): InitStep[] {
  const steps: InitStep[] = [
    {
      cmd: setting(opts.smsMode === 'pdu' ? 'AT+CMGF=0' : 'AT+CMGF=1'),
      why: opts.smsMode === 'pdu' ? 'SMS PDU mode: UCS2 and long messages (27.005 §3.2.3)' : 'SMS text mode (27.005 §3.2.3)',
    },
    {
      cmd: setting('AT+CNMI=2,1,0,2,0', 'normal'),
      why: 'new SMS as +CMTI index, status reports as +CDSI (27.005 §3.4.1; chan_dongle init)',
    },
    { cmd: setting('AT+CREG=2'), why: 'registration URCs with LAC/CI (27.007 §7.2)' },
  ];
  if (lte) {
    steps.push({
      cmd: setting('AT+CEREG=2'),
      optional: true,
      why: 'EPS registration URCs; optional: firmware without LTE support rejects it (27.007 §10.1.22)',
    });
  }
  return steps;
}

/** The 27.007 call-control builders; families override what differs (Huawei DTMF). */
export function standardCallControl(): Pick<
  ModemProfile,
  'answer' | 'hangup' | 'dial' | 'hold' | 'conference' | 'transfer' | 'sendDtmf' | 'clcc'
> {
  return {
    answer: answerCommand,
    hangup: hangupCommand,
    dial: dialCommand,
    hold: () => chldCommand(2),
    conference: () => chldCommand(3),
    transfer: () => chldCommand(4),
    sendDtmf: (digit: string) => vtsCommand(digit),
    clcc: clccCommand,
  };
}

/**
 * A well-behaved 27.007 modem: standard finals, echo back on after a reboot
 * (P7). Profiles spread this and name only where their family differs.
 */
export const STANDARD_QUIRKS: Readonly<ModemQuirks> = {
  cpinNoOk: false,
  atdOkOnlyOnAnswer: false,
  bareOkIsReject: false,
  commandNotSupportIsError: false,
  echoAfterReboot: true,
  clccStateSixIsEnded: false,
};

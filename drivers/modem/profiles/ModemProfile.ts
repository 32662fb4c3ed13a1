import type { AtCommand } from '../session/AtCommand.ts';

/**
 * What differs between modem families, as data plus small pure command
 * builders (gsm-modems.md §2 "ModemProfile per family", §5). A profile never
 * does I/O: the façade runs its commands through the AT session and feeds the
 * results to the call tracker and health monitor.
 */

/** The families ccgate knows; `generic` is a plain 3GPP TS 27.007 modem and the fallback. */
export type Family = 'sim800' | 'sim7600' | 'quectel' | 'huawei' | 'generic';

/** The answers to the identification queries (AT+CGMI, AT+CGMM, AT+CGMR or ATI), trimmed by the caller or not. */
export interface ModemIdent {
  manufacturer: string;
  model: string;
  revision?: string;
}

export interface InitOptions {
  /** Enable the family's DTMF-detect URC (AT+DDET, AT+QTONEDET, AT^DDTMFCFG). */
  dtmfDetect: boolean;
  /** SMS format: PDU (AT+CMGF=0, needed for UCS2 and long messages) or text (AT+CMGF=1); 27.005 §3.2.3. */
  smsMode: 'pdu' | 'text';
}

/** One command of the init list. */
export interface InitStep {
  cmd: AtCommand;
  /** The init continues when the modem rejects an optional step (some firmware lacks the command). */
  optional?: boolean;
  /** Why the step exists, for the log and for reviewers. */
  why: string;
}

/** Explicit flags for non-standard finals and behaviours (gsm-modems.md P6, P7, §4). */
export interface ModemQuirks {
  /** AT+CPIN? answers `+CPIN: READY` with no OK (Wavecom, python-gsmmodem #19). */
  cpinNoOk: boolean;
  /** ATD answers OK only when the far end answers (Wavecom): ATD OK means "connected". */
  atdOkOnlyOnAnswer: boolean;
  /** A bare OK with nothing pending means "remote rejected" (ZTE K3565-Z). */
  bareOkIsReject: boolean;
  /** `COMMAND NOT SUPPORT` is a final error (Huawei E1752 fake modem, python-gsmmodem). */
  commandNotSupportIsError: boolean;
  /** Echo comes back on after a reboot, so ATE0 must be re-sent (gsm-modems.md P7; faucamp#77). */
  echoAfterReboot: boolean;
  /** CLCC stat 6 means "terminated" (SimTech extension in AT+CLCC=1 URC blocks, gsm-modems.md §4). */
  clccStateSixIsEnded: boolean;
}

/**
 * Where the truth about call state comes from (gsm-modems.md §5.5 "call state"):
 * AT+CLCC polling only, SIM7600 +CLCC URC blocks, Quectel `+QIND: "ccinfo"`
 * (or ^DSCI), Huawei ^ORIG/^CONF/^CONN/^CEND. In every case the URCs are
 * triggers and AT+CLCC decides (P12).
 */
export type CallStateSource = 'clccPoll' | 'clccUrc' | 'quectelCcinfo' | 'huaweiUrc';

/** How prompts reach the caller (gsm-modems.md §8). */
export interface AudioProfile {
  /** 'pcm': host streams 8 kHz 16-bit PCM on an audio tty; 'module': the modem plays a stored file; 'silent': neither. */
  preferred: 'module' | 'pcm' | 'silent';
  /** Start host PCM after the call connected; null where the family has no PCM path. */
  pcmStart: AtCommand | null;
  /** Stop host PCM after hangup; null where it stops by itself. */
  pcmStop: AtCommand | null;
  /** Play a module-side file to the far end; null where the family has none. */
  modulePlay: ((file: string) => AtCommand) | null;
  /** Stop module-side playback. */
  moduleStop: AtCommand | null;
}

/** Status queries the health monitor runs. */
export interface ProfileQueries {
  /** AT+CSQ (27.007 §8.5). */
  csq: AtCommand;
  /** AT+CREG? (27.007 §7.2). */
  creg: AtCommand;
  /** AT+CEREG? (27.007 §10.1.22); null on GSM/3G-only families. */
  cereg: AtCommand | null;
  /** AT+COPS? (27.007 §7.3). */
  cops: AtCommand;
  /** AT+CPIN? (27.007 §8.3). */
  cpin: AtCommand;
  /** ATI, AT+CGMI, AT+CGMM, AT+CGMR, AT+CGSN: bare-text answers (expect 'any'). */
  identification: readonly AtCommand[];
}

/** One modem family. All builders are pure and return fresh command objects. */
export interface ModemProfile {
  readonly family: Family;
  /** True when the identification answers name this family (case-insensitive). */
  detect(ident: ModemIdent): boolean;
  /** Commands to run after open and after every reboot (init is volatile, P13). */
  initSteps(opts: InitOptions): InitStep[];
  /** Answer the ringing call (ATA). */
  answer(): AtCommand;
  /** Hang up all calls (AT+CHUP) or only call `index` (AT+CHLD=1<idx>). Never AT+QHUP (RoEdAl#3). */
  hangup(index?: number): AtCommand;
  /** Voice dial `ATD<number>;`. Throws MODEM_UNSUPPORTED for characters that are not a dial string. */
  dial(number: string): AtCommand;
  /** AT+CHLD=2: hold the active call (or swap active and held). */
  hold(): AtCommand;
  /** AT+CHLD=3: join held and active calls into a conference. */
  conference(): AtCommand;
  /** AT+CHLD=4: explicit call transfer (held ↔ active), the modem drops out; needs network support. */
  transfer(): AtCommand;
  /** Send one DTMF digit on call `callIndex` (the CLCC index; only Huawei uses it). */
  sendDtmf(digit: string, callIndex: number): AtCommand;
  /** AT+CLCC: the call list, the source of truth. */
  clcc(): AtCommand;
  readonly queries: ProfileQueries;
  readonly quirks: ModemQuirks;
  /** Boot-marker URC texts that mean "this modem rebooted" (P13). */
  readonly rebootMarkers: readonly string[];
  readonly callStateSource: CallStateSource;
  /** AT+CLCC poll interval during calls, ms. */
  readonly clccPollMs: number;
  readonly audio: AudioProfile;
  /** 'urc': the modem reports digits; 'inBand': decode tones from the PCM stream (Goertzel). */
  readonly dtmfDetection: 'urc' | 'inBand';
}

/**
 * AT+CLCC poll interval during calls, ms. ModemManager polls CLCC every 2 s
 * (mm-iface-modem-voice.c); catches a lost termination URC (gsm-modems.md P12,
 * scenario 15).
 */
export const CLCC_POLL_MS = 2_000;

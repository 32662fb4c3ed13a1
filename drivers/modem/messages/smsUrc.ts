import { intField, paramsAfter, splitFields } from './fields.ts';
import type { Urc } from './Urc.ts';

/**
 * New-message and status-report indications, 3GPP TS 27.005 §3.4.1
 * (after `AT+CNMI=2,1,0,2,0` or `=2,2,…`; gsm-modems.md §6):
 *
 *   +CMTI: <mem>,<index>              stored SMS
 *   +CMT: [<alpha>],<length><CR><LF><pdu>   routed SMS (PDU mode, 2 lines)
 *   +CDSI: <mem>,<index>              stored status report
 *   +CDS: <length><CR><LF><pdu>       routed status report (PDU mode, 2 lines)
 */

type SmsStored = Extract<Urc, { kind: 'smsStored' }>;
type SmsDeliver = Extract<Urc, { kind: 'smsDeliver' }>;
type StatusReport = Extract<Urc, { kind: 'statusReport' }>;

/** `<mem>,<index>`; the memory may be numeric on some Huawei firmware (`+CMTI: 0,111`, chan_dongle test/parse.c). */
function memIndex(params: string): { memory: string; index: number } | null {
  const f = splitFields(params);
  const mem = f[0];
  const index = intField(f[1]);
  if (!mem || mem.value === '' || index === null || index < 0) return null;
  return { memory: mem.value, index };
}

/** A PDU line: hex only (blanks trimmed). */
function pduOf(line: string | undefined): string | null {
  const t = line?.trim() ?? '';
  return /^(?:[0-9A-Fa-f]{2})+$/.test(t) ? t.toUpperCase() : null;
}

export function parseCmti(line: string): SmsStored | null {
  const p = paramsAfter(line.trim(), '+CMTI:');
  const mi = p === null ? null : memIndex(p);
  return mi ? { kind: 'smsStored', ...mi } : null;
}

/** `+CMT:` in PDU mode. The text-mode form (`+CMT: "<oa>",…`) is not used by ccgate and yields null. */
export function parseCmt(line: string, trailing: readonly string[]): SmsDeliver | null {
  const p = paramsAfter(line.trim(), '+CMT:');
  if (p === null) return null;
  const f = splitFields(p);
  const length = intField(f[f.length - 1]);
  const pdu = pduOf(trailing[0]);
  if (length === null || length <= 0 || pdu === null) return null;
  return { kind: 'smsDeliver', length, pdu };
}

export function parseCdsi(line: string): StatusReport | null {
  const p = paramsAfter(line.trim(), '+CDSI:');
  const mi = p === null ? null : memIndex(p);
  return mi ? { kind: 'statusReport', memory: mi.memory, index: mi.index, pdu: null } : null;
}

/** Whether a `+CDS:` line is the PDU-mode header (`+CDS: <length>`), which one PDU line follows; text mode is one line. */
export function cdsHasPduLine(line: string): boolean {
  const p = paramsAfter(line.trim(), '+CDS:');
  return p !== null && /^\d+$/.test(p);
}

export function parseCds(line: string, trailing: readonly string[]): StatusReport | null {
  if (!cdsHasPduLine(line)) return null;
  const pdu = pduOf(trailing[0]);
  return pdu ? { kind: 'statusReport', memory: null, index: null, pdu } : null;
}

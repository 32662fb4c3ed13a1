import { intField, paramsAfter, splitFields, strField } from './fields.ts';
import type { CallState, Urc } from './Urc.ts';

/**
 * Proprietary per-call state URCs (gsm-modems.md §5.2–§5.4) and the
 * call-ended finals that arrive as URCs outside a dial command (P5).
 * These only *trigger* a CLCC query; CLCC decides (P12).
 */

type CallStateUrc = Extract<Urc, { kind: 'callState' }>;
type CallEndedUrc = Extract<Urc, { kind: 'callEnded' }>;

/**
 * Huawei E1550/E1752/K3715 (chan_dongle at_response.c, python-gsmmodem
 * HuaweiK3715): `^ORIG:<idx>,<type>` dialing, `^CONF:<idx>` alerting,
 * `^CONN:<idx>,<type>` active, `^CEND:<idx>,<duration>,<end_status>[,<cc_cause>]` ended.
 */
function parseHuawei(line: string): CallStateUrc | null {
  const table: ReadonlyArray<[string, CallState]> = [
    ['^ORIG:', 'dialing'],
    ['^CONF:', 'alerting'],
    ['^CONN:', 'active'],
    ['^CEND:', 'ended'],
  ];
  for (const [prefix, state] of table) {
    const p = paramsAfter(line, prefix);
    if (p === null) continue;
    const f = splitFields(p);
    const index = intField(f[0]);
    if (index === null || index < 0) return null;
    const urc: CallStateUrc = { kind: 'callState', index, state, source: prefix.slice(0, -1) };
    if (prefix === '^CEND:') {
      // <cc_cause> is the Q.850 cause (16 = normal clearing); absent on some firmware.
      const cause = intField(f[3]);
      if (cause !== null) urc.cause = cause;
    }
    return urc;
  }
  return null;
}

/** CLCC <stat> codes (27.007 §7.18), used by Quectel `+QIND: "ccinfo"`. */
const CLCC_STATES: readonly CallState[] = ['active', 'held', 'dialing', 'alerting', 'incoming', 'waiting'];

/**
 * Quectel EC2x/EG25 after `AT+QINDCFG="ccinfo",1,0`:
 * `+QIND: "ccinfo",<idx>,<dir>,<state>,<mode>,<mpty>,"<num>",<type>`, state as CLCC and
 * −1 = released (chan_quectel at_parse.c comment; gsm-modems.md §5.3).
 */
function parseCcinfo(line: string): CallStateUrc | null {
  const p = paramsAfter(line, '+QIND:');
  if (p === null) return null;
  const f = splitFields(p);
  if (f[0]?.value.toLowerCase() !== 'ccinfo') return null;
  const index = intField(f[1]);
  const stat = intField(f[3]);
  if (index === null || stat === null) return null;
  const state = stat === -1 ? 'ended' : CLCC_STATES[stat];
  if (!state) return null;
  const urc: CallStateUrc = { kind: 'callState', index, state, source: '+QIND ccinfo' };
  const number = strField(f[6]);
  if (number !== null) urc.number = number;
  return urc;
}

/**
 * `^DSCI: <id>,<dir>,<stat>,<type>,<number>,<num_type>` (Quectel EP06, some
 * SIMCom/Telit after `AT^DSCI=1`). Its <stat> is NOT the CLCC code for 3, 6, 7:
 * 3 = connected, 6 = released, 7 = alerting; the others follow CLCC
 * (chan_quectel map_dsci passes them through; IchthysMaranatha README).
 */
const DSCI_STATES: Readonly<Record<number, CallState>> = {
  0: 'active',
  1: 'held',
  2: 'dialing',
  3: 'active',
  4: 'incoming',
  5: 'waiting',
  6: 'ended',
  7: 'alerting',
};

function parseDsci(line: string): CallStateUrc | null {
  const p = paramsAfter(line, '^DSCI:');
  if (p === null) return null;
  const f = splitFields(p);
  const index = intField(f[0]);
  const stat = intField(f[2]);
  if (index === null || stat === null) return null;
  const state = DSCI_STATES[stat];
  if (!state) return null;
  const urc: CallStateUrc = { kind: 'callState', index, state, source: '^DSCI' };
  const number = strField(f[4]);
  if (number !== null) urc.number = number;
  return urc;
}

/**
 * SIMCom SIM7600: `VOICE CALL: BEGIN`, `VOICE CALL: END` and
 * `VOICE CALL: END: 000041` (ModemManager simtech plugin tests). They name no
 * call index; the trailing digits are the call duration, not a cause.
 */
function parseVoiceCall(line: string): CallStateUrc | null {
  const p = paramsAfter(line, 'VOICE CALL:');
  if (p === null) return null;
  if (p === 'BEGIN') return { kind: 'callState', index: null, state: 'active', source: 'VOICE CALL' };
  if (p === 'END' || /^END:\s*\d+$/.test(p)) return { kind: 'callState', index: null, state: 'ended', source: 'VOICE CALL' };
  return null;
}

/** Any of the proprietary call-state URCs above; null otherwise. */
export function parseCallState(line: string): CallStateUrc | null {
  if (line.startsWith('^')) return parseHuawei(line) ?? parseDsci(line);
  if (line.startsWith('+QIND:')) return parseCcinfo(line);
  if (line.startsWith('VOICE CALL:')) return parseVoiceCall(line);
  return null;
}

const ENDED: Readonly<Record<string, CallEndedUrc['reason']>> = {
  'NO CARRIER': 'noCarrier',
  BUSY: 'busy',
  'NO ANSWER': 'noAnswer',
  'NO DIALTONE': 'noDialtone',
};

/**
 * `NO CARRIER` / `BUSY` / `NO ANSWER` / `NO DIALTONE` seen outside ATD/ATA:
 * a call ended (V.250 §5.7.4; gsm-modems.md P5 — warthog618 treats them as
 * finals only for D commands).
 */
export function parseCallEnded(line: string): CallEndedUrc | null {
  const reason = ENDED[line.trim()];
  return reason ? { kind: 'callEnded', reason } : null;
}

/**
 * `RING`, or `+CRING: <type>` after `AT+CRC=1` (27.007 §6.11; SIM7600 sends it
 * with `\r\r\n`, which the framer already strips, P1).
 */
export function parseRing(line: string): Extract<Urc, { kind: 'ring' }> | null {
  const t = line.trim();
  if (t === 'RING') return { kind: 'ring', type: null };
  const m = /^\+CRING:\s*(.*)$/.exec(t);
  return m ? { kind: 'ring', type: (m[1] ?? '').trim() || null } : null;
}

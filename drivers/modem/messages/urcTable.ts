import type { UrcShape } from '../session/AtSessionEvents.ts';
import { parseCallerIdUrc } from './callerId.ts';
import { parseCallEnded, parseCallState, parseRing } from './callState.ts';
import { parseClcc } from './clcc.ts';
import { parseDtmfUrc } from './dtmf.ts';
import { parseBoot, parseNoise, parsePower, parseSimState } from './housekeeping.ts';
import { parsePlaybackDone } from './audio.ts';
import { parseRegistrationUrc } from './registration.ts';
import { parseSignalUrc } from './signal.ts';
import { cdsHasPduLine, parseCds, parseCdsi, parseCmt, parseCmti } from './smsUrc.ts';
import type { Urc } from './Urc.ts';

/**
 * The URC table for all four families (gsm-modems.md §3–§6, P11, P13): which
 * lines start an unsolicited result, how many lines follow it (Gammu style:
 * `+CMT:` and PDU-mode `+CDS:` carry one PDU line), and which parser turns it
 * into a typed `Urc`.
 *
 * The session asks `urcShape` only about lines that did not belong to the
 * command in flight (AtSessionEvents.ts), so a solicited `+CPIN: READY` or
 * `+CREG: 2,1` answer never gets here. Dialect choice is not needed: the
 * prefixes of the four families do not collide.
 */

interface UrcRule {
  /** The line (trimmed) starts a URC of this rule. */
  matches(line: string): boolean;
  /** Trailing lines that belong to it. */
  trailing(line: string): number;
  parse(line: string, trailing: readonly string[]): Urc | null;
}

const none = (): number => 0;
const prefix = (...ps: string[]) => (line: string): boolean => ps.some((p) => line.startsWith(p));
const exact = (...ss: string[]) => (line: string): boolean => ss.includes(line);

/** Ordered: the first matching rule decides. Specific parsers come before the noise catch-alls. */
const RULES: readonly UrcRule[] = [
  { matches: exact('RING'), trailing: none, parse: parseRing },
  { matches: prefix('+CRING:'), trailing: none, parse: parseRing },
  { matches: prefix('+CLIP:', '+CCWA:'), trailing: none, parse: parseCallerIdUrc },
  {
    matches: prefix('+CLCC:'),
    trailing: none,
    parse: (l) => {
      const entry = parseClcc(l);
      return entry ? { kind: 'callListEntry', entry } : null;
    },
  },
  { matches: prefix('^ORIG:', '^CONF:', '^CONN:', '^CEND:', '^DSCI:', 'VOICE CALL:'), trailing: none, parse: parseCallState },
  { matches: exact('NO CARRIER', 'BUSY', 'NO ANSWER', 'NO DIALTONE'), trailing: none, parse: parseCallEnded },
  { matches: prefix('+DTMF:', '+RXDTMF:', '+QTONEDET:', '^DDTMF:', '^DTMF:'), trailing: none, parse: parseDtmfUrc },
  { matches: prefix('+CREG:', '+CGREG:', '+CEREG:', '+C5GREG:'), trailing: none, parse: parseRegistrationUrc },
  { matches: prefix('+CSQN:', '^RSSI:', '^HCSQ:'), trailing: none, parse: parseSignalUrc },
  // Quectel +QIND multiplexes call state ("ccinfo"), signal ("csq") and noise ("act", "SMS DONE" …).
  { matches: prefix('+QIND:'), trailing: none, parse: (l) => parseCallState(l) ?? parseSignalUrc(l) ?? parseNoise(l) },
  { matches: prefix('+CMTI:'), trailing: none, parse: parseCmti },
  { matches: prefix('+CMT:'), trailing: () => 1, parse: parseCmt },
  { matches: prefix('+CDSI:'), trailing: none, parse: parseCdsi },
  { matches: prefix('+CDS:'), trailing: (l) => (cdsHasPduLine(l) ? 1 : 0), parse: parseCds },
  // Cell broadcast (27.005 §3.4.1) also has a PDU line; ccgate ignores it.
  { matches: prefix('+CBM:'), trailing: () => 1, parse: parseNoise },
  { matches: prefix('+CPIN:'), trailing: none, parse: (l) => parseBoot(l) ?? parseSimState(l) },
  { matches: exact('RDY', 'Call Ready', 'SMS Ready'), trailing: none, parse: parseBoot },
  { matches: prefix('+CFUN:', '+QUSIM:'), trailing: none, parse: (l) => parseBoot(l) ?? parseNoise(l) },
  { matches: prefix('+CREC:', '+AUDIOSTATE:', '+QPSND:'), trailing: none, parse: (l) => parsePlaybackDone(l) ?? parseNoise(l) },
  { matches: (l) => parsePower(l) !== null, trailing: none, parse: parsePower },
  { matches: (l) => parseNoise(l) !== null, trailing: none, parse: parseNoise },
];

function ruleFor(line: string): UrcRule | undefined {
  const t = line.trim();
  if (t === '') return undefined;
  return RULES.find((r) => r.matches(t));
}

/** What the session needs to know about URCs: known start? how many trailing lines? */
export const urcShape: UrcShape = {
  trailingLines(line: string): number | null {
    const rule = ruleFor(line);
    return rule ? rule.trailing(line.trim()) : null;
  },
};

/**
 * Parse an unsolicited line (plus the trailing lines urcShape asked for) into
 * a typed URC. Null when the line is not a known URC or is malformed; never
 * throws (P16: lines may hold any latin1 byte).
 */
export function parseUrc(line: string, trailing: readonly string[] = []): Urc | null {
  const rule = ruleFor(line);
  if (!rule) return null;
  try {
    return rule.parse(line.trim(), trailing);
  } catch {
    // Parsers are written not to throw; this guard keeps one bad line from killing the URC loop.
    return null;
  }
}

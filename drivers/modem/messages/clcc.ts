import { intField, paramsAfter, splitFields, strField } from './fields.ts';
import type { CallState, ClccEntry } from './Urc.ts';

/**
 * `+CLCC:` call list lines, 3GPP TS 27.007 §7.18:
 *
 *   +CLCC: <idx>,<dir>,<stat>,<mode>,<mpty>[,<number>,<type>[,<alpha>[,<priority>[,<CLI validity>]]]]
 *
 * The same line shape is the answer to `AT+CLCC` and, on SIM7600 after
 * `AT+CLCC=1`, an unsolicited block (ModemManager simtech plugin).
 */

/** <stat> → state. 6 is not 3GPP: SimTech reports a terminated call with it (ModemManager mm-modem-helpers.c). */
const STATES: readonly CallState[] = ['active', 'held', 'dialing', 'alerting', 'incoming', 'waiting', 'ended'];

/**
 * Parse one `+CLCC:` line; null when malformed. A number without `<type>` is
 * invalid and rejected rather than guessed (chan_dongle test/parse.c expects
 * -1 for `+CLCC: 1,1,4,0,0,"+7913913ABCA"`; gsm-modems.md §4, §10 scenario 3).
 */
export function parseClcc(line: string): ClccEntry | null {
  const p = paramsAfter(line, '+CLCC:');
  if (p === null || p === '') return null;
  const f = splitFields(p);
  const index = intField(f[0]);
  const dir = intField(f[1]);
  const stat = intField(f[2]);
  const mode = intField(f[3]);
  const mpty = intField(f[4]);
  if (index === null || index < 1 || mode === null || mode < 0) return null;
  if ((dir !== 0 && dir !== 1) || (mpty !== 0 && mpty !== 1)) return null;
  const state = stat === null ? undefined : STATES[stat];
  if (!state) return null;

  let number: string | null = null;
  let type: number | null = null;
  if (f.length > 5) {
    const num = f[5];
    type = intField(f[6]);
    if (!num || type === null) return null;
    number = num.value;
  }
  const validityCode = intField(f[9]);
  return {
    index,
    direction: dir === 0 ? 'out' : 'in',
    state,
    mode,
    multiparty: mpty === 1,
    number,
    type,
    alpha: strField(f[7]),
    validity: validityCode === 0 ? 'valid' : validityCode === 1 ? 'withheld' : validityCode === 2 ? 'unavailable' : null,
  };
}

/** Result of parsing a whole `AT+CLCC` answer. */
export interface ClccList {
  entries: ClccEntry[];
  /** `+CLCC:` lines that were malformed (kept for logging); the rest of the list is still used. */
  rejected: string[];
}

/**
 * Parse the information lines of an `AT+CLCC` answer (or a SIM7600 URC
 * block). Lines that are not `+CLCC:` are ignored; an empty list (bare `OK`)
 * means no calls, which releases every tracked call (gsm-modems.md §4).
 */
export function parseClccList(lines: readonly string[]): ClccList {
  const entries: ClccEntry[] = [];
  const rejected: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('+CLCC:')) continue;
    const e = parseClcc(line);
    if (e) entries.push(e);
    else rejected.push(line);
  }
  return { entries, rejected };
}

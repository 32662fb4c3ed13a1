import { intField, paramsAfter, splitFields, strField, type Field } from './fields.ts';
import type { ModemCallerId, Urc } from './Urc.ts';

/**
 * Caller ID from `+CLIP:` (3GPP TS 27.007 §7.6) and `+CCWA:` (§7.12).
 *
 *   +CLIP: <number>,<type>[,<subaddr>,<satype>[,[<alpha>][,<CLI validity>]]]
 *   +CCWA: <number>,<type>,<class>,[<alpha>][,<CLI validity>[,<subaddr>,<satype>[,<priority>]]]
 *
 * The number is returned exactly as received: chan_quectel's anonymised
 * `+7913913ABCA` stays as is (gsm-modems.md §10 scenario 3, §11).
 */

/** `<CLI validity>`: 0 valid, 1 withheld by the caller, 2 not available (interworking, payphone). */
function validityOf(f: Field | undefined, number: string): ModemCallerId['validity'] {
  switch (intField(f)) {
    case 0:
      return 'valid';
    case 1:
      return 'withheld';
    case 2:
      return 'unavailable';
    default:
      // No (or an unknown) validity field: an empty number can only mean "not available"
      // (SIM800 and Quectel send `+CLIP: "",128` for unknown callers without the field).
      return number === '' ? 'unavailable' : 'valid';
  }
}

function build(fields: Field[], alphaAt: number, validityAt: number): ModemCallerId | null {
  const num = fields[0];
  if (!num) return null;
  const number = num.value;
  return {
    number,
    type: intField(fields[1]),
    validity: validityOf(fields[validityAt], number),
    alpha: strField(fields[alphaAt]),
  };
}

/** Parse a `+CLIP:` line; null if it is not one or has no number field. */
export function parseClip(line: string): ModemCallerId | null {
  const p = paramsAfter(line, '+CLIP:');
  if (p === null || p === '') return null;
  return build(splitFields(p), 4, 5);
}

/** Parse a `+CCWA:` URC (call waiting); null if malformed. The query answer `+CCWA: <status>,<class>` has no quoted number and is rejected. */
export function parseCcwa(line: string): ModemCallerId | null {
  const p = paramsAfter(line, '+CCWA:');
  if (p === null || p === '') return null;
  const fields = splitFields(p);
  if (!fields[0]?.quoted) return null;
  return build(fields, 3, 4);
}

/** `+CLIP` / `+CCWA` as a typed URC. */
export function parseCallerIdUrc(line: string): Urc | null {
  if (line.startsWith('+CLIP:')) {
    const callerId = parseClip(line);
    return callerId ? { kind: 'callerId', callerId, waiting: false } : null;
  }
  if (line.startsWith('+CCWA:')) {
    const callerId = parseCcwa(line);
    return callerId ? { kind: 'callerId', callerId, waiting: true } : null;
  }
  return null;
}

import { intField, splitFields, strField, type Field } from './fields.ts';
import type { Urc } from './Urc.ts';

/**
 * Network registration, 3GPP TS 27.007 §7.2 (+CREG), §10.1.20 (+CGREG),
 * §10.1.21 (+CEREG), §10.1.22 (+C5GREG).
 *
 *   URC (n ≥ 1):       +CREG: <stat>[,[<lac>],[<ci>][,<AcT>]]
 *   answer to +CREG?:  +CREG: <n>,<stat>[,[<lac>],[<ci>][,<AcT>]]
 *
 * The two forms cannot be told apart by the text alone (`+CREG: 1,3`), so
 * callers pick by context: the session hands solicited lines to
 * parseRegistrationResponse and unsolicited ones to parseRegistrationUrc
 * (gsm-modems.md §3). Real devices bend the grammar (ModemManager
 * test-modem-helpers.c, every case in multi-vendor-registration fixture):
 * blanks around fields, unquoted hex, leading zeros (Iridium `+CREG:002,001`),
 * a RAC inside the list (Novatel E362 `+CEREG: 1, 1F00, 20 ,79D903 ,7`) or
 * after AcT (`+CGREG: 1,"1422","00000142",3,"00"`), and URCs that carry <n>
 * anyway (Sony Ericsson MD400, Alcatel X220D, Samsung S8500, Altair).
 */

export type RegistrationUrc = Extract<Urc, { kind: 'registration' }>;
export type RegistrationDomain = RegistrationUrc['domain'];

/** A parsed solicited answer: the URC fields plus the <n> the modem echoes back. */
export interface RegistrationAnswer extends RegistrationUrc {
  n: number;
}

const DOMAINS: ReadonlyArray<[string, RegistrationDomain]> = [
  ['+CREG:', 'cs'],
  ['+CGREG:', 'ps'],
  ['+CEREG:', 'eps'],
  ['+C5GREG:', '5gs'],
];

interface Core {
  stat: number;
  lac: string | null;
  ci: string | null;
  act: number | null;
}

/** <stat> 0–11 (27.007 §7.2; 11 = attached for access to RLOS). */
function statOf(f: Field | undefined): number | null {
  const v = intField(f);
  return v !== null && v >= 0 && v <= 11 ? v : null;
}

/**
 * <AcT> 0–13 (GSM … E-UTRA-NR dual connectivity). At most 3 characters: `000`
 * occurs (ModemManager leading-zeros case), a 4-digit `0010` is a cell id.
 */
function actOf(f: Field | undefined): number | null {
  if (!f || f.value.length > 3) return null;
  const v = intField(f);
  return v !== null && v >= 0 && v <= 13 ? v : null;
}

/** A RAC is one octet: at most two hex digits (Novatel `, 20 ,`). */
function looksLikeRac(f: Field | undefined): boolean {
  return !!f && /^[0-9A-Fa-f]{1,2}$/.test(f.value);
}

/**
 * Interpret `<stat>[,…]` fields. With `allowN`, a line whose fields only make
 * sense with a leading <n> is read that way (URCs that carry <n>, and the
 * 2-field `1,3`, which the URC grammar has no form for).
 */
function interpret(f: readonly Field[], allowN: boolean): Core | null {
  const stat = statOf(f[0]);
  const withN = (): Core | null => {
    const n = intField(f[0]);
    return allowN && n !== null && n >= 0 && n <= 5 && f.length > 1 ? interpret(f.slice(1), false) : null;
  };
  if (f.length === 2) return withN() ?? (stat === null ? null : { stat, lac: strField(f[1]), ci: null, act: null });
  if (stat === null) return withN();
  if (f.length <= 3) return { stat, lac: strField(f[1]), ci: strField(f[2]), act: null };
  // 27.007 order: stat, lac, ci, AcT[, rac | cause_type, reject_cause | NSSAI…].
  const act = actOf(f[3]);
  if (act !== null) return { stat, lac: strField(f[1]), ci: strField(f[2]), act };
  // Novatel/E362 order: stat, tac, rac, ci, AcT.
  if (f.length === 5 && looksLikeRac(f[2]) && actOf(f[4]) !== null) {
    return { stat, lac: strField(f[1]), ci: strField(f[3]), act: actOf(f[4]) };
  }
  // A URC carrying <n> (MD400 `2,5,"0502","0404736D"`), or an odd tail (Samsung `…, B, C2816`).
  return withN() ?? { stat, lac: strField(f[1]), ci: strField(f[2]), act: null };
}

function split(line: string): { domain: RegistrationDomain; fields: Field[] } | null {
  for (const [prefix, domain] of DOMAINS) {
    if (!line.startsWith(prefix)) continue;
    const p = line.slice(prefix.length).trim();
    if (p === '' || p.startsWith('(')) return null; // empty, or the `=?` test answer
    return { domain, fields: splitFields(p) };
  }
  return null;
}

/** Parse an unsolicited `+CREG`/`+CGREG`/`+CEREG`/`+C5GREG` line; null if malformed. */
export function parseRegistrationUrc(line: string): RegistrationUrc | null {
  const s = split(line.trim());
  if (!s) return null;
  const core = interpret(s.fields, true);
  return core ? { kind: 'registration', domain: s.domain, ...core } : null;
}

/** Parse the answer to `AT+CREG?` (and CGREG/CEREG/C5GREG): `<n>,<stat>[,…]`; null if malformed. */
export function parseRegistrationResponse(line: string): RegistrationAnswer | null {
  const s = split(line.trim());
  if (!s) return null;
  const n = intField(s.fields[0]);
  if (n === null || n < 0 || n > 5 || s.fields.length < 2) return null;
  const core = interpret(s.fields.slice(1), false);
  return core ? { kind: 'registration', domain: s.domain, n, ...core } : null;
}

/**
 * `<stat>` of +CREG / +CGREG / +CEREG as text (27.007 §7.2, §10.1.20,
 * §10.1.22). Which stats allow a voice call is policy, decided in one place:
 * health/registrationStat.ts `isDialableStat`.
 */
export const REGISTRATION_STAT_TEXT: Readonly<Record<number, string>> = {
  0: 'not registered, not searching',
  1: 'registered, home network',
  2: 'not registered, searching',
  3: 'registration denied',
  4: 'unknown',
  5: 'registered, roaming',
  6: 'registered for SMS only, home network',
  7: 'registered for SMS only, roaming',
  8: 'attached for emergency bearer services only',
  9: 'registered for CSFB not preferred, home network',
  10: 'registered for CSFB not preferred, roaming',
  11: 'attached for access to RLOS',
};

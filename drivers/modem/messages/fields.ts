/**
 * Shared helpers for AT information lines (V.250 §5.7.2: `+NAME: v1,v2,"str"`).
 * Pure and total: nothing here throws; malformed input yields null.
 */

/** One parsed field: its text without surrounding quotes, and whether it was quoted. */
export interface Field {
  value: string;
  quoted: boolean;
}

/**
 * Split a parameter list on commas, honouring double quotes. Leading and
 * trailing blanks around each field are dropped (Alcatel X220D and Gobi send
 * `2,1, 81ED, 1A9CEB`, ModemManager test-modem-helpers.c). If the quotes do
 * not balance (chan_dongle `+COPS: 0,0,"TELE2,0`, Gammu
 * `at-creg-corner/mismatched-quotes.dump`) we fall back to a plain comma
 * split with stray quotes removed, which is what those sources expect.
 */
export function splitFields(params: string): Field[] {
  const out: Field[] = [];
  let cur = '';
  let inQuote = false;
  let quoted = false;
  for (const ch of params) {
    if (ch === '"') {
      inQuote = !inQuote;
      quoted = true;
      cur += ch;
    } else if (ch === ',' && !inQuote) {
      out.push(finishField(cur, quoted));
      cur = '';
      quoted = false;
    } else {
      cur += ch;
    }
  }
  if (inQuote) return params.split(',').map((f) => finishField(f, f.includes('"')));
  out.push(finishField(cur, quoted));
  return out;
}

function finishField(raw: string, quoted: boolean): Field {
  const t = raw.trim();
  if (!quoted) return { value: t, quoted: false };
  let v = t;
  if (v.startsWith('"')) v = v.slice(1);
  if (v.endsWith('"')) v = v.slice(0, -1);
  // A quote left inside (unbalanced fallback) is noise, not data.
  return { value: v.includes('"') ? v.replaceAll('"', '') : v, quoted: true };
}

/**
 * The parameter part of `+NAME: params` / `^NAME:params` if `line` starts with
 * `prefix` (e.g. `+CLIP:`), else null. Blanks after the colon are optional
 * (`+DTMF:5`, `+CREG:002,...`, `^RSSI:26`).
 */
export function paramsAfter(line: string, prefix: string): string | null {
  if (!line.startsWith(prefix)) return null;
  return line.slice(prefix.length).trim();
}

/** A decimal integer field (optional sign, leading zeros allowed: Iridium `+CREG:002,001`), else null. */
export function intField(f: Field | undefined): number | null {
  if (!f || f.quoted) return null;
  return parseIntStrict(f.value);
}

/** Strict decimal parse of a whole string (`'12'` → 12, `'1a'` → null, `''` → null). */
export function parseIntStrict(s: string): number | null {
  const t = s.trim();
  if (!/^[-+]?\d{1,9}$/.test(t)) return null;
  return Number.parseInt(t, 10);
}

/** A string field's value, or null when absent or empty. */
export function strField(f: Field | undefined): string | null {
  if (!f || f.value === '') return null;
  return f.value;
}

import { CME_ERRORS, CME_RETRYABLE } from './cmeErrors.ts';
import { CMS_ERRORS, CMS_RETRYABLE, cmsRangeText } from './cmsErrors.ts';
import { parseIntStrict } from './fields.ts';

/**
 * Readable text for a modem's own error (STYLE.md rule 23: the device code and
 * its text travel in the CcgateError context). Works for the numeric form
 * (`AT+CMEE=1`: `+CME ERROR: 10`) and the verbose one (`AT+CMEE=2`:
 * `+CME ERROR: SIM not inserted`), mapping known texts back to their code.
 */
export interface ModemErrorInfo {
  code: number | null;
  text: string;
  /** Worth retrying with back-off (SIM busy 14, device busy 515, CMS 314; gsm-modems.md §7). */
  retryable: boolean;
}

const normalise = (s: string): string => s.trim().toLowerCase().replace(/[\s_]+/g, ' ').replace(/\(u\)/g, '');

function reverse(table: Readonly<Record<number, string>>): Map<string, number> {
  const m = new Map<string, number>();
  for (const [code, text] of Object.entries(table)) {
    const key = normalise(text);
    if (!m.has(key)) m.set(key, Number(code));
  }
  return m;
}

const CME_BY_TEXT = reverse(CME_ERRORS);
const CMS_BY_TEXT = reverse(CMS_ERRORS);

export function describeModemError(kind: 'cme' | 'cms', code: number | null, text: string): ModemErrorInfo {
  const table = kind === 'cme' ? CME_ERRORS : CMS_ERRORS;
  const retry = kind === 'cme' ? CME_RETRYABLE : CMS_RETRYABLE;
  let c = code;
  if (c === null) {
    // The verbose form may still be a number in disguise (`+CME ERROR: 010`), else look the text up.
    c = parseIntStrict(text) ?? (kind === 'cme' ? CME_BY_TEXT : CMS_BY_TEXT).get(normalise(text)) ?? null;
  }
  if (c === null) {
    const t = text.trim();
    return { code: null, text: t === '' ? 'unspecified error' : t, retryable: false };
  }
  const known = table[c];
  const fallback = kind === 'cme' ? `unknown CME error ${c}` : cmsRangeText(c);
  return { code: c, text: known ?? (text.trim() !== '' && parseIntStrict(text) === null ? text.trim() : fallback), retryable: retry.has(c) };
}

/**
 * Split an error final result: `+CME ERROR: <n|text>` / `+CMS ERROR: <n|text>`.
 * `+CME ERROR:` with nothing after the colon is not a final result (ModemManager
 * test-at-serial-port.c) and yields null; a trailing blank (`+CME ERROR: `) is one, with no code.
 */
export function parseErrorLine(line: string): { kind: 'cme' | 'cms'; code: number | null; text: string } | null {
  const m = /^\+(CME|CMS) ERROR:( .*)$/.exec(line.replace(/[\r\n]+$/, ''));
  if (!m) return null;
  const rest = (m[2] ?? '').trim();
  return { kind: m[1] === 'CME' ? 'cme' : 'cms', code: parseIntStrict(rest), text: rest };
}

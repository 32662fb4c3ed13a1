import type { IvrConfig } from '../config/types.ts';

/**
 * The menu a call to `dialled` starts in. A line delivers the dialled number
 * in its own form: an E1 span's called party number is often only the DID's
 * last digits (`4455`), sometimes the whole national number (`2188774455`),
 * a modem gives its own number or nothing. So the longest configured number
 * that the dialled digits end with wins (`4455` matches `2188774455`), an
 * exact match first; nothing matching, the default `entry`.
 */
export function entryMenuFor(ivr: Pick<IvrConfig, 'entry' | 'entryByNumber'>, dialled: string): string {
  const table = ivr.entryByNumber;
  if (!table || dialled === '') return ivr.entry;
  const exact = table[dialled];
  if (exact !== undefined) return exact;
  const digits = dialled.replace(/^\+/, '');
  let best: { len: number; menu: string } | null = null;
  for (const [number, menu] of Object.entries(table)) {
    const n = number.replace(/^\+/, '');
    if (n.length > 0 && digits.endsWith(n) && (best === null || n.length > best.len)) best = { len: n.length, menu };
  }
  return best?.menu ?? ivr.entry;
}

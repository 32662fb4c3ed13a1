import type { ClccEntry, ModemCallerId } from '../messages/Urc.ts';

/**
 * Caller ID from a +CLCC entry (27.007 §7.18), for modems without +CLIP
 * (chan_dongle takes caller ID from CLCC on Huawei). The number is passed on
 * exactly as given. A number without <type> is invalid (chan_dongle
 * test/parse.c; gsm-modems.md §4) and yields no caller ID.
 */
export function callerIdFromClcc(entry: ClccEntry): ModemCallerId | null {
  if (entry.number === null) return null;
  if (entry.number !== '' && entry.type === null) return null;
  return {
    number: entry.number,
    type: entry.type,
    validity: entry.validity ?? (entry.number === '' ? 'unavailable' : 'valid'),
    alpha: entry.alpha,
  };
}

export function sameCallerId(a: ModemCallerId | null, b: ModemCallerId | null): boolean {
  if (a === null || b === null) return a === b;
  return a.number === b.number && a.type === b.type && a.validity === b.validity && a.alpha === b.alpha;
}

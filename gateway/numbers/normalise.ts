import type { NumberingConfig } from '../config/types.ts';

/**
 * Separators people and networks put inside numbers: spaces (including the
 * no-break and thin spaces word processors insert), dashes, dots, slashes and
 * parentheses. They never carry meaning in a dial string.
 */
const SEPARATORS = /[\s\u00a0\u2009\u202f\-\u2010-\u2015.()/]/g;

/**
 * One canonical form of a phone number, for comparing and keying numbers and
 * for dialling or texting them (ITU-T E.164 where the plan allows):
 *
 * - separators are dropped: `0912 123-4567` → `09121234567`;
 * - `+CC…` stays `+CC…`;
 * - `<internationalPrefix>CC…` becomes `+CC…` (`0098912…` → `+98912…`);
 * - with a country code, `<trunkPrefix>NSN` becomes `+<countryCode>NSN`
 *   (`0912…` → `+98912…`);
 * - anything else made of digits stays as digits: a bare national number or
 *   short code is not guessed at (`9121234567` could be a national number
 *   without its trunk prefix or an extension; guessing would merge numbers
 *   that differ);
 * - without a country code, national forms stay as written (digits only);
 * - input that is not a number once separators are gone (a letter short
 *   code, `anonymous`, `+` alone) comes back trimmed and otherwise unchanged,
 *   so it never collides with a real number.
 *
 * Pure; `plan` is the site's `site.numbering`.
 */
export function normaliseNumber(raw: string, plan: NumberingConfig): string {
  const trimmed = raw.trim();
  // Persian and Arabic-Indic digits (a number typed on a Persian keyboard) are the same digits.
  const compact = trimmed.replace(SEPARATORS, '').replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0)).replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
  if (/^\+\d+$/.test(compact)) {
    // `+98 0912…`, a common way of writing it, keeps the trunk prefix after the country code: drop it.
    const cc = plan.countryCode;
    const trunk = plan.trunkPrefix;
    if (cc !== null && trunk !== '' && compact.startsWith(`+${cc}${trunk}`) && compact.length > cc.length + trunk.length + 1) return `+${cc}${compact.slice(cc.length + 1 + trunk.length)}`;
    return compact;
  }
  if (!/^\d+$/.test(compact)) return trimmed;
  const intl = plan.internationalPrefix;
  // A bare international prefix ('00') is left alone rather than read as trunk prefix + '0'.
  if (intl !== '' && compact.startsWith(intl)) return compact.length > intl.length ? `+${compact.slice(intl.length)}` : compact;
  const trunk = plan.trunkPrefix;
  if (plan.countryCode !== null && trunk !== '' && compact.length > trunk.length && compact.startsWith(trunk)) {
    return `+${plan.countryCode}${compact.slice(trunk.length)}`;
  }
  return compact;
}

/**
 * Whether two numbers are one under the site's plan. An empty number (a
 * withheld or unavailable caller is presented as '') matches nothing, not
 * even another empty one: two anonymous callers are not the same person.
 */
export function sameNumber(a: string, b: string, plan: NumberingConfig): boolean {
  const na = normaliseNumber(a, plan);
  return na !== '' && na === normaliseNumber(b, plan);
}

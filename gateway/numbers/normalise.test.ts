import { describe, expect, it } from 'vitest';
import type { NumberingConfig } from '../config/types.ts';
import { normaliseNumber, sameNumber } from './normalise.ts';

const IRAN: NumberingConfig = { countryCode: '98', trunkPrefix: '0', internationalPrefix: '00' };
const UK: NumberingConfig = { countryCode: '44', trunkPrefix: '0', internationalPrefix: '00' };
const NONE: NumberingConfig = { countryCode: null, trunkPrefix: '0', internationalPrefix: '00' };
// North America: international prefix 011, trunk prefix 1.
const NANP: NumberingConfig = { countryCode: '1', trunkPrefix: '1', internationalPrefix: '011' };

describe('normaliseNumber', () => {
  it.each([
    // Iran
    [IRAN, '+989121234567', '+989121234567'],
    [IRAN, '00989121234567', '+989121234567'],
    [IRAN, '09121234567', '+989121234567'],
    [IRAN, '0912 123 4567', '+989121234567'],
    [IRAN, '  0912-123-4567 ', '+989121234567'],
    [IRAN, '(0912) 123.4567', '+989121234567'],
    [IRAN, '+98 912 123 4567', '+989121234567'],
    // the trunk prefix kept after the country code, and Persian or Arabic-Indic digits
    [IRAN, '+98 0912 123 4567', '+989121234567'],
    [IRAN, '۰۹۱۲ ۱۲۳ ۴۵۶۷', '+989121234567'],
    [IRAN, '٠٩١٢١٢٣٤٥٦٧', '+989121234567'],
    [IRAN, '021 8888 0000', '+982188880000'],
    [IRAN, '0044 20 7946 0000', '+442079460000'],
    // a bare national significant number is not guessed
    [IRAN, '9121234567', '9121234567'],
    [IRAN, '989121234567', '989121234567'],
    [IRAN, '110', '110'],
    // UK
    [UK, '+44 20 7946 0000', '+442079460000'],
    [UK, '0044 20 7946 0000', '+442079460000'],
    [UK, '020 7946 0000', '+442079460000'],
    [UK, '07700 900123', '+447700900123'],
    [UK, '00989121234567', '+989121234567'],
    // no country code: national forms stay as written, digits only
    [NONE, '0912 123 4567', '09121234567'],
    [NONE, '+98 912 123 4567', '+989121234567'],
    [NONE, '0098 912 123 4567', '+989121234567'],
    // North America: 011 before 1 so an international number is not read as national
    [NANP, '011 44 20 7946 0000', '+442079460000'],
    [NANP, '1 (212) 555-0100', '+12125550100'],
    [NANP, '212 555 0100', '2125550100'],
    // empty, bare prefixes and withheld-like values
    [IRAN, '', ''],
    [IRAN, '   ', ''],
    [IRAN, '+', '+'],
    [IRAN, '0', '0'],
    [IRAN, '00', '00'],
    [IRAN, 'anonymous', 'anonymous'],
    [IRAN, ' Restricted ', 'Restricted'],
    [IRAN, 'withheld', 'withheld'],
    [IRAN, 'MCI', 'MCI'],
    [IRAN, '*141#', '*141#'],
    [IRAN, '+98x912', '+98x912'],
  ])('%o: %j → %j', (plan, raw, expected) => {
    expect(normaliseNumber(raw, plan)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const raw of ['+989121234567', '0912 123 4567', '00989121234567', '9121234567', 'anonymous', '']) {
      const once = normaliseNumber(raw, IRAN);
      expect(normaliseNumber(once, IRAN)).toBe(once);
    }
  });
});

describe('sameNumber', () => {
  it.each([
    [IRAN, '+989121234567', '0912 123 4567', true],
    [IRAN, '00989121234567', '09121234567', true],
    [IRAN, '+989121234567', '+989121234568', false],
    [IRAN, '9121234567', '09121234567', false],
    [NONE, '09121234567', '+989121234567', false],
    [NONE, '0912-123-4567', '09121234567', true],
    [IRAN, '', '', false],
    [IRAN, '', '09121234567', false],
  ])('%o: %j vs %j → %s', (plan, a, b, expected) => {
    expect(sameNumber(a, b, plan)).toBe(expected);
    expect(sameNumber(b, a, plan)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { detectProfile } from './detect.ts';
import type { Family, ModemIdent } from './ModemProfile.ts';

/**
 * Identification answers as modems give them. Sources (copied inline; tests
 * never read outside the repository):
 * - fixtures/at-traces/huawei-e1752.json, huawei-k3715.json, wavecom-multiband-900e-1800.json,
 *   zte-k3565-z.json, zte-qualcomm-m6280.json, nokia-n79.json: AT+CGMI / AT+CGMM / AT+CGMR exchanges
 *   (python-gsmmodem test/fakemodems.py @ 5c816ba);
 * - fixtures/at-traces/gammu-dumps-misc.json: the Samsung ATI4 dump (gammu tests/at-model);
 * - SIMCom and Quectel: the fixtures hold no captured identification (SOURCES.md "Known gaps"), so the
 *   strings come from gsm-modems.md §2 "Profile detection" (`SIMCOM INCORPORATED`, `SIMCOM_SIM7600E`,
 *   `Quectel`) and §5 family names (`SIM800`, `EC25`, `EG25`, `E1550`).
 */
const CASES: Array<{ source: string; ident: ModemIdent; family: Family }> = [
  { source: 'huawei-e1752.json', ident: { manufacturer: 'huawei', model: 'E1752', revision: '11.126.13.00.00' }, family: 'huawei' },
  { source: 'huawei-k3715.json', ident: { manufacturer: 'huawei', model: 'K3715', revision: '11.104.05.00.00' }, family: 'huawei' },
  { source: 'gsm-modems.md §5.4 (E1550 model only)', ident: { manufacturer: '', model: 'E1550' }, family: 'huawei' },
  { source: 'gsm-modems.md §2', ident: { manufacturer: 'SIMCOM INCORPORATED', model: 'SIMCOM_SIM7600E' }, family: 'sim7600' },
  { source: 'gsm-modems.md §2 (manufacturer only)', ident: { manufacturer: 'SIMCOM INCORPORATED', model: '' }, family: 'sim7600' },
  { source: 'gsm-modems.md §5.1', ident: { manufacturer: 'SIMCOM INCORPORATED', model: 'SIM800' }, family: 'sim800' },
  { source: 'gsm-modems.md §5.1 (lower case)', ident: { manufacturer: 'simcom_ltd', model: 'simcom_sim800l' }, family: 'sim800' },
  { source: 'gsm-modems.md §2/§5.3', ident: { manufacturer: 'Quectel', model: 'EC25' }, family: 'quectel' },
  { source: 'gsm-modems.md §5.3 (model only)', ident: { manufacturer: '', model: 'EG25' }, family: 'quectel' },
  { source: 'wavecom-multiband-900e-1800.json', ident: { manufacturer: ' WAVECOM MODEM', model: ' MULTIBAND  900E  1800' }, family: 'generic' },
  { source: 'zte-k3565-z.json', ident: { manufacturer: 'ZTE INCORPORATED', model: 'K3565-Z', revision: 'BD_P673A2V1.0.0B09' }, family: 'generic' },
  { source: 'zte-qualcomm-m6280.json', ident: { manufacturer: 'QUALCOMM INCORPORATED', model: 'M6280' }, family: 'generic' },
  { source: 'nokia-n79.json', ident: { manufacturer: 'Nokia', model: 'Nokia N79', revision: 'V ICPR72_08w44.1' }, family: 'generic' },
  {
    source: 'gammu-dumps-misc.json ATI4 (Samsung SCH-U706)',
    ident: { manufacturer: 'Manufacturer: I: SAMSUNG ELECTRONICS CO., LTD.', model: 'Model: I: SCH-U706/99' },
    family: 'generic',
  },
];

describe('detectProfile', () => {
  it.each(CASES)('$source → $family', ({ ident, family }) => {
    const { profile, reason } = detectProfile(ident);
    expect(profile.family).toBe(family);
    expect(reason.length).toBeGreaterThan(0);
  });

  it('names an unknown modem and the fallback in the reason', () => {
    const { profile, reason } = detectProfile({ manufacturer: ' WAVECOM MODEM', model: ' MULTIBAND  900E  1800' });
    expect(profile.family).toBe('generic');
    expect(reason).toContain('unknown modem');
    expect(reason).toContain('WAVECOM MODEM');
  });

  it('lets the family from config win over the identification', () => {
    const { profile, reason } = detectProfile({ manufacturer: 'huawei', model: 'E1752' }, 'quectel');
    expect(profile.family).toBe('quectel');
    expect(reason).toContain("'quectel' set in config");
  });

  it('reads an ATI block where manufacturer and model share one answer', () => {
    // SIM7600 ATI answer layout (Manufacturer:/Model: lines); strings from gsm-modems.md §2.
    const ident = { manufacturer: 'Manufacturer: SIMCOM INCORPORATED', model: 'Model: SIMCOM_SIM7600E' };
    expect(detectProfile(ident).profile.family).toBe('sim7600');
  });
});

import { describe, expect, it } from 'vitest';
import { loadTrace, rxLines, toLines } from './atTraceFixtures.ts';
import { classifySimCode, identify, parseAti, parseCops, parseCpin, parseInfoText } from './network.ts';

interface DongleFixture {
  tables: { cops: Array<{ input: string; expected_src: string }> };
}
interface DeviceFixture {
  exchanges: Array<{ tx: string; rx: unknown[] }>;
}
interface GammuMisc {
  dumps: Array<{ source: { path: string }; raw: string }>;
}

describe('parseCops (27.007 §7.3)', () => {
  it('chan_dongle cases all yield TELE2', () => {
    const fx = loadTrace<DongleFixture>('huawei-e1550-class-chan-dongle.json');
    expect(fx.tables.cops.map((c) => parseCops(c.input)?.operator)).toEqual(fx.tables.cops.map((c): unknown => JSON.parse(c.expected_src)));
  });
  it('reads mode, format and AcT; no operator when deregistered', () => {
    expect(parseCops('+COPS: 0,0,"TELE2",0')).toEqual({ mode: 0, format: 0, operator: 'TELE2', act: 0 });
    expect(parseCops('+COPS: 0,2,"65501",7')).toEqual({ mode: 0, format: 2, operator: '65501', act: 7 });
    expect(parseCops('+COPS: 0')).toEqual({ mode: 0, format: null, operator: null, act: null });
  });
  it.each(['+COPS:', '+COPS: (2,"X","X","1",0)', '+COPS: x', '+CREG: 0'])('null for %s', (line) => {
    expect(parseCops(line)).toBeNull();
  });
});

describe('parseCpin (27.007 §8.3)', () => {
  it.each([
    ['+CPIN: READY', 'READY', 'ready'],
    ['+CPIN: SIM PIN', 'SIM PIN', 'pinRequired'],
    ['+CPIN: SIM PUK', 'SIM PUK', 'pukRequired'],
    ['+CPIN: NOT INSERTED', 'NOT INSERTED', 'notInserted'],
    ['+CPIN: PH-NET PIN', 'PH-NET PIN', 'otherLock'],
    ['+CPIN: SIM PIN2', 'SIM PIN2', 'otherLock'],
    ['+CPIN: NOT READY', 'NOT READY', 'notReady'],
    ['+CPIN:READY', 'READY', 'ready'],
  ])('%s', (line, code, status) => {
    expect(parseCpin(line)).toEqual({ code, status });
  });
  it('null for malformed', () => {
    expect(parseCpin('+CPIN:')).toBeNull();
    expect(parseCpin('CPIN: READY')).toBeNull();
    expect(classifySimCode(' ready ')).toBe('ready');
  });
});

describe('identification', () => {
  const ident = (file: string): ReturnType<typeof identify> => {
    const fx = loadTrace<DeviceFixture>(file);
    const rx = (cmd: string): string[] | undefined => {
      const ex = fx.exchanges.find((e) => e.tx === `${cmd}\r`);
      if (!ex) return undefined;
      const lines = rxLines(ex.rx);
      return lines.includes('ERROR') ? undefined : lines;
    };
    const answers: Parameters<typeof identify>[0] = {};
    const cgmi = rx('AT+CGMI');
    const cgmm = rx('AT+CGMM');
    const cgmr = rx('AT+CGMR');
    if (cgmi) answers.cgmi = cgmi;
    if (cgmm) answers.cgmm = cgmm;
    if (cgmr) answers.cgmr = cgmr;
    return identify(answers);
  };

  it.each([
    ['huawei-k3715.json', { manufacturer: 'huawei', model: 'K3715', revision: '11.104.05.00.00' }],
    ['huawei-e1752.json', { manufacturer: 'huawei', model: 'E1752', revision: '11.126.13.00.00' }],
    ['wavecom-multiband-900e-1800.json', { manufacturer: 'WAVECOM MODEM', model: 'MULTIBAND  900E  1800', revision: null }],
    ['zte-k3565-z.json', { manufacturer: 'ZTE INCORPORATED', model: 'K3565-Z', revision: 'BD_P673A2V1.0.0B09' }],
    ['zte-qualcomm-m6280.json', { manufacturer: 'QUALCOMM INCORPORATED', model: 'M6280', revision: 'M6280_V1.0.0 M6280_V1.0.0 1 [Sep 4 2008 12:00:00]' }],
    ['nokia-n79.json', { manufacturer: 'Nokia', model: 'Nokia N79', revision: 'V ICPR72_08w44.1' }],
  ])('%s', (file, expected) => {
    expect(ident(file)).toEqual(expected);
  });

  it('Gammu at-model dumps (incl. echo and \\r\\r\\n)', () => {
    const fx = loadTrace<GammuMisc>('gammu-dumps-misc.json');
    const models = fx.dumps
      .filter((d) => d.source.path.includes('at-model/') && d.raw.startsWith('AT+CGMM'))
      .map((d) => parseInfoText(toLines(d.raw)));
    expect(models.slice(0, 3)).toEqual(['MULTIBAND  900E  1800', 'Nokia 5210', 'AAB-1022041-BV']);
    expect(models[3]).toHaveLength(350);
    expect(models[4]).toBe('MULTIBAND  900E  1800');
  });

  it('prefixed answers', () => {
    expect(parseInfoText(['+CGMM: SIMCOM_SIM7600E-H'])).toBe('SIMCOM_SIM7600E-H');
    expect(parseInfoText(['+CGMI: Quectel'])).toBe('Quectel');
    expect(parseInfoText(['', 'OK'])).toBeNull();
  });

  it('ATI: labelled (SIMCom/Huawei/Samsung), bare (Quectel), single line (SIM800)', () => {
    expect(parseAti(['Manufacturer: SIMCOM INCORPORATED', 'Model: SIMCOM_SIM7600E-H', 'Revision: SIM7600M22_V1.1', 'IMEI: 861234567890123', '+GCAP: +CGSM'])).toEqual({
      manufacturer: 'SIMCOM INCORPORATED',
      model: 'SIMCOM_SIM7600E-H',
      revision: 'SIM7600M22_V1.1',
    });
    expect(parseAti(['Quectel', 'EC25', 'Revision: EC25EFAR06A06M4G'])).toEqual({ manufacturer: 'Quectel', model: 'EC25', revision: 'EC25EFAR06A06M4G' });
    expect(parseAti(['SIM800 R14.18'])).toEqual({ manufacturer: null, model: 'SIM800 R14.18', revision: null });
    const fx = loadTrace<GammuMisc>('gammu-dumps-misc.json');
    const samsung = fx.dumps.find((d) => d.source.path.endsWith('at-model/05.dump'));
    expect(parseAti(toLines(samsung?.raw ?? ''))).toEqual({
      manufacturer: 'I: SAMSUNG ELECTRONICS CO., LTD.',
      model: 'I: SCH-U706/99',
      revision: 'I: u706 ,  ver : BC04.1',
    });
  });

  it('CGMx answers win over ATI', () => {
    expect(identify({ ati: ['Quectel', 'EC25', 'Revision: R1'], cgmm: ['EG25'] })).toEqual({ manufacturer: 'Quectel', model: 'EG25', revision: 'R1' });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ptyRig, type PtyRig } from '../../../test/modem/ptyRig.ts';
import type { ModemFamily } from './state.ts';

/**
 * The fake modem through the real serialport binding on a socat PTY, one
 * suite per family, with a raw host (no AT driver): dialect, calls, DTMF,
 * dialling, SMS. Calls are scripted (no line); see line.pty.test.ts for the
 * SimNetwork side.
 */

interface FamilyCase {
  cgmi: string;
  cgmm: string;
  imei: string;
  unknown: string;
  dtmfOn: string;
  /** The DTMF URC bytes for a digit. */
  dtmf: (d: string) => string;
  /** Command enabling the family's call-state URCs, if it has one. */
  stateOn: string | null;
  /** A URC (regex on raw bytes) that shows the answered call became active. */
  activeUrc: RegExp | null;
  /** The family's URC for a remote hang-up, after NO CARRIER. */
  endUrc: RegExp | null;
  clip: string;
  /** What follows the OK of a local hang-up, and BUSY / NO ANSWER of a dial. */
  localEnd: RegExp;
  busy: RegExp;
  noAnswer: RegExp;
}

const N = '+15551230001';
const CASES: Record<ModemFamily, FamilyCase> = {
  sim800: {
    cgmi: 'SIMCOM_Ltd', cgmm: 'SIMCOM_SIM800L', imei: '866262031234567', unknown: 'ERROR',
    dtmfOn: 'AT+DDET=1,0,0', dtmf: (d) => `\r\n+DTMF: ${d}\r\n`,
    stateOn: 'AT+CLCC=1', activeUrc: /\r\n\+CLCC: 1,1,0,0,0,"\+15551230001",145\r\n/, endUrc: /\r\n\+CLCC: 1,1,6,0,0,"\+15551230001",145\r\n/,
    clip: `\r\n+CLIP: "${N}",145,"",0,"",0\r\n`,
    localEnd: /^\r\nOK\r\n$/, busy: /\r\nBUSY\r\n/, noAnswer: /\r\nNO ANSWER\r\n/,
  },
  sim7600: {
    cgmi: 'SIMCOM INCORPORATED', cgmm: 'SIMCOM_SIM7600E-H', imei: '862636051234567', unknown: 'ERROR',
    dtmfOn: 'AT+DDET=1', dtmf: (d) => `\r\r\n+RXDTMF: ${d}\r\r\n`,
    stateOn: 'AT+CLCC=1', activeUrc: /\r\nVOICE CALL: BEGIN\r\n\r\n\+CLCC: 1,1,0,0,0,"\+15551230001",145\r\n/,
    endUrc: /\r\nVOICE CALL: END: 0000\d\d\r\n\r\n\+CLCC: 1,1,6,0,0,"\+15551230001",145\r\n/,
    clip: `\r\n+CLIP: "${N}",145,,,,0\r\n`,
    localEnd: /^\r\nOK\r\n\r\nVOICE CALL: END: 000000\r\n$/, busy: /\r\nBUSY\r\n/, noAnswer: /\r\nNO ANSWER\r\n/,
  },
  quectel: {
    cgmi: 'Quectel', cgmm: 'EC25', imei: '867698041234567', unknown: 'ERROR',
    dtmfOn: 'AT+QTONEDET=1', dtmf: (d) => `\r\n+QTONEDET: ${d.charCodeAt(0)}\r\n`,
    stateOn: 'AT+QINDCFG="ccinfo",1,0', activeUrc: /\r\n\+QIND: "ccinfo",1,1,0,0,0,"\+15551230001",145\r\n/,
    endUrc: /\r\n\+QIND: "ccinfo",1,1,-1,0,0,"\+15551230001",145\r\n/,
    clip: `\r\n+CLIP: "${N}",145,,,,0\r\n`,
    localEnd: /^\r\nOK\r\n$/, busy: /\r\nBUSY\r\n/, noAnswer: /\r\nNO ANSWER\r\n/,
  },
  huawei: {
    cgmi: 'huawei', cgmm: 'E1550', imei: '353142031234567', unknown: 'COMMAND NOT SUPPORT',
    dtmfOn: 'AT^DDTMFCFG=0,1', dtmf: (d) => `\r\n^DDTMF: ${d}\r\n`,
    stateOn: null, activeUrc: /\r\nOK\r\n\r\n\^CONN:1,0\r\n/, endUrc: /\r\n\^CEND:1,\d+,104,16\r\n/,
    clip: `\r\n+CLIP: "${N}",145,,,,0\r\n`,
    // ^ORIG on ATD, ^CONF when alerting, ^CEND with Q.850 cause 16 / 17 busy / 19 no answer.
    localEnd: /^\r\nOK\r\n\r\n\^CEND:1,0,104,16\r\n$/, busy: /\r\nBUSY\r\n\r\n\^CEND:1,0,104,17\r\n/, noAnswer: /\r\nNO ANSWER\r\n\r\n\^CEND:1,0,104,19\r\n/,
  },
};

beforeEach(() => {
  expect.hasAssertions();
});

describe.each(Object.keys(CASES) as ModemFamily[])('FakeModem %s on a PTY', (family) => {
  const f = CASES[family];
  let rig: PtyRig;
  beforeEach(async () => {
    rig = await ptyRig(family);
  });
  afterEach(async () => {
    await rig.close();
  });

  it('identifies itself, echoes until ATE0, answers unknown commands in its dialect', async () => {
    const { host, fake } = rig;
    expect(await host.exchange('AT+CGMI')).toBe(`AT+CGMI\r\r\n${f.cgmi}\r\n\r\nOK\r\n`);
    expect(await host.exchange('AT+CGMM')).toContain(`\r\n${f.cgmm}\r\n`);
    expect(await host.exchange('AT+CGSN')).toContain(`\r\n${f.imei}\r\n`);
    expect(await host.exchange('ATI')).toMatch(/\r\nOK\r\n$/);
    expect(await host.exchange('AT+NOSUCH')).toBe(`AT+NOSUCH\r\r\n${f.unknown}\r\n`);
    // A real modem echoes ATE0 itself (echo was on when it arrived), then stops.
    expect(await host.exchange('ATE0')).toBe('ATE0\r\r\nOK\r\n');
    expect(await host.exchange('AT+CMEE=1;+CSQ')).toBe('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    expect(await host.exchange('AT+CPIN=1234')).toBe('\r\n+CME ERROR: 3\r\n');
    expect(fake.received).toEqual(['AT', 'AT+CGMI', 'AT+CGMM', 'AT+CGSN', 'ATI', 'AT+NOSUCH', 'ATE0', 'AT+CMEE=1;+CSQ', 'AT+CPIN=1234']);
    expect(await fake.expectCommand(/^AT\+CSQ|;\+CSQ/, 10)).toBe('AT+CMEE=1;+CSQ');
  });

  it('rings with caller ID, answers, reports DTMF in its dialect, and the caller hangs up', async () => {
    const { host, fake } = rig;
    await host.exchange('ATE0');
    for (const c of ['AT+CLIP=1', f.dtmfOn, ...(f.stateOn ? [f.stateOn] : [])]) expect(await host.exchange(c)).toBe('\r\nOK\r\n');
    host.skip();
    fake.ring({ number: N });
    expect(await host.waitFor(new RegExp(escape(f.clip)))).toBe(`\r\nRING\r\n${f.clip}`);
    // Rings again every ringIntervalMs (200 ms here) until answered.
    await host.waitFor(new RegExp(`RING\r\n${escape(f.clip)}`), 1_000);
    // (a further RING may come in between: the answer ends with the call list and OK)
    expect(await host.exchange('AT+CLCC')).toContain(`\r\n+CLCC: 1,1,4,0,0,"${N}",145\r\n\r\nOK\r\n`);
    await host.cmd('ATA');
    const answered = await host.waitFor(f.activeUrc ?? /OK\r\n/);
    expect(answered).toMatch(/OK\r\n/);
    fake.remoteDtmf('8');
    fake.remoteDtmf('#');
    fake.remoteDtmf('8');
    expect(await host.waitFor(new RegExp(escape(f.dtmf('8') + f.dtmf('#') + f.dtmf('8'))))).toContain(f.dtmf('#'));
    expect(await host.exchange('AT+CLCC')).toBe(`\r\n+CLCC: 1,1,0,0,0,"${N}",145\r\n\r\nOK\r\n`);
    fake.remoteHangup();
    const end = await host.waitFor(f.endUrc ?? /NO CARRIER\r\n/);
    expect(end).toMatch(/^\r\nNO CARRIER\r\n/);
    expect(await host.exchange('AT+CLCC')).toBe('\r\nOK\r\n');
  });

  it('withheld caller ID and +CRING after AT+CRC=1', async () => {
    const { host, fake } = rig;
    await host.exchange('ATE0;+CLIP=1;+CRC=1');
    host.skip();
    fake.ring({ number: '', validity: 1 });
    const ring = family === 'sim7600' ? '\r\r\n+CRING: VOICE\r\r\n' : '\r\n+CRING: VOICE\r\n';
    expect(await host.waitFor(/,1\r\n/)).toBe(`${ring}\r\n+CLIP: "",128,,,,1\r\n`);
    expect(await host.exchange('AT+CHUP')).toBe('\r\nOK\r\n');
    expect(fake.calls.size).toBe(0);
  });

  it('dials: answered, busy, no answer; sends DTMF; hangs up', async () => {
    const { host, fake } = rig;
    fake.dialOutcomes.set('+15550000002', 'busy');
    fake.dialOutcomes.set('+15550000003', 'noAnswer');
    await host.exchange('ATE0');
    expect(await host.exchange('ATD+15550000001;')).toMatch(/^\r\nOK\r\n/);
    if (family === 'huawei') await host.waitFor(/\^CONN:1,0\r\n/);
    else await host.sleep(120);
    expect(await host.exchange('AT+CLCC')).toBe('\r\n+CLCC: 1,0,0,0,0,"+15550000001",145\r\n\r\nOK\r\n');
    const vts = family === 'huawei' ? 'AT^DTMF=1,1;^DTMF=1,2' : 'AT+VTS=1;+VTS=2';
    expect(await host.exchange(vts)).toBe('\r\nOK\r\n');
    expect(fake.sentDtmf).toEqual(['1', '2']);
    host.skip();
    await host.cmd('AT+CHUP');
    await host.waitFor(/OK\r\n/);
    await host.sleep(30);
    expect(host.pending ? `\r\nOK\r\n${host.pending}` : '\r\nOK\r\n').toMatch(f.localEnd);
    expect(await host.exchange('ATD+15550000002;')).toMatch(/^\r\nOK\r\n/);
    await host.waitFor(f.busy);
    expect(await host.exchange('ATD+15550000003;')).toMatch(/^\r\nOK\r\n/);
    await host.waitFor(f.noAnswer);
    expect(fake.calls.size).toBe(0);
    expect(await host.exchange('ATA')).toMatch(/^\r\nNO CARRIER\r\n/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

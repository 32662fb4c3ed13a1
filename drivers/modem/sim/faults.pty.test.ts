import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ptyRig, type PtyRig } from '../../../test/modem/ptyRig.ts';
import { noise } from './misbehaviour.ts';
import type { ModemFamily } from './state.ts';

/** Fault injection over the PTY: reboot, silence, late reply, garbage, URC storm, scripted errors. */

const BANNER: Record<ModemFamily, string> = {
  sim800: '\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n',
  sim7600: '\r\nRDY\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n',
  quectel: '\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\n+QUSIM: 1\r\n\r\n+QIND: SMS DONE\r\n\r\n+QIND: PB DONE\r\n',
  huawei: '',
};

beforeEach(() => {
  expect.hasAssertions();
});

describe.each(['sim800', 'quectel', 'sim7600', 'huawei'] as ModemFamily[])('faults on %s', (family) => {
  let rig: PtyRig;
  beforeEach(async () => {
    rig = await ptyRig(family);
    await rig.host.exchange('ATE0;+CLIP=1;+CMEE=1');
  });
  afterEach(async () => {
    await rig.close();
  });

  it('reboot drops the call, prints the boot banner and comes back with echo on and settings reset', async () => {
    const { host, fake } = rig;
    fake.ring({ number: '+15551230001' });
    await host.waitFor(/\+CLIP: /);
    await host.exchange('ATA');
    host.skip();
    fake.faults.reboot({ delayMs: 100 });
    expect(fake.calls.size).toBe(0);
    // While it reboots the modem answers nothing.
    await host.cmd('AT');
    if (BANNER[family]) expect(await host.waitFor(/(SMS Ready|PB DONE)\r\n/, 1_000)).toMatch(new RegExp(`${BANNER[family].replace(/[+]/g, '\\+')}$`));
    else await host.sleep(150);
    expect(host.rx).not.toMatch(/NO CARRIER|\^CEND|VOICE CALL: END|ccinfo/);
    expect(await host.exchange('AT', /OK\r\n/, 1_000)).toBe('AT\r\r\nOK\r\n');
    expect(await host.exchange('AT+CLIP?')).toBe('AT+CLIP?\r\r\n+CLIP: 0,1\r\n\r\nOK\r\n');
  });

  it('AT+CFUN=1,1 answers OK, then reboots', async () => {
    const { host } = rig;
    expect(await host.exchange('AT+CFUN=1,1')).toBe('\r\nOK\r\n');
    if (BANNER[family]) await host.waitFor(new RegExp(BANNER[family].replace(/[+]/g, '\\+')), 1_000);
    else await host.sleep(300);
    expect(await host.exchange('AT', /OK\r\n/, 1_000)).toMatch(/AT\r\r\nOK\r\n$/);
  });

  it('goes silent (records but never answers), wakes; a delayed reply arrives after the host gave up', async () => {
    const { host, fake } = rig;
    fake.faults.goSilent();
    await host.cmd('AT+CSQ');
    await expect(host.waitFor(/OK/, 300)).rejects.toMatchObject({ code: 'AT_TIMEOUT' });
    expect(await fake.expectCommand(/^AT\+CSQ$/, 100)).toBe('AT+CSQ');
    fake.faults.wake();
    expect(await host.exchange('AT')).toBe('\r\nOK\r\n');
    fake.faults.delayNextReply(400);
    await host.cmd('AT+COPS?');
    await expect(host.waitFor(/OK/, 200)).rejects.toMatchObject({ code: 'AT_TIMEOUT' });
    expect(await host.waitFor(/OK\r\n/, 1_000)).toBe('\r\n+COPS: 0,0,"Fake Mobile",0\r\n\r\nOK\r\n');
  });

  it('garbage (NULs, invalid UTF-8) then still answers; URC storm; scripted +CME errors', async () => {
    const { host, fake } = rig;
    host.skip();
    const bytes = fake.faults.garbage(200, 7);
    expect(bytes).toEqual(noise(200, 7));
    expect(bytes.includes(0)).toBe(true);
    expect(bytes.some((b) => b >= 0xf8)).toBe(true); // never valid in UTF-8
    await host.waitFor(/[\s\S]{200}/);
    expect(Buffer.from(host.rx.slice(-200), 'latin1')).toEqual(Buffer.from(bytes));
    expect(await host.exchange('AT')).toBe('\r\nOK\r\n');
    host.skip();
    const storm = fake.faults.urcStorm(['^RSSI:13', 'UNDER_VOLTAGE WARNING '], 10, 6);
    await host.waitFor(/(WARNING \r\n[\s\S]*){3}/, 1_000);
    expect(storm.sent).toBe(6);
    expect(host.rx.match(/\r\n\^RSSI:13\r\n/g)).toHaveLength(3);
    fake.faults.failNext(/^AT\+CSCA\?/, '+CME ERROR: 14', 2);
    expect(await host.exchange('AT+CSCA?')).toBe('\r\n+CME ERROR: 14\r\n');
    expect(await host.exchange('AT+CSCA?')).toBe('\r\n+CME ERROR: 14\r\n');
    expect(await host.exchange('AT+CSCA?')).toBe('\r\n+CSCA: "+15550000000",145\r\n\r\nOK\r\n');
    fake.setSim('NOT INSERTED');
    expect(await host.exchange('AT+CPIN?')).toBe('\r\n+CME ERROR: 10\r\n');
  });

  it('registration changes give +CREG URCs per AT+CREG=n', async () => {
    const { host, fake } = rig;
    await host.exchange('AT+CREG=2');
    host.skip();
    fake.setRegistration({ stat: 5, lac: '0502', ci: '0404736D' });
    expect(await host.waitFor(/CREG.*\r\n/)).toBe('\r\n+CREG: 5,"0502","0404736D",0\r\n');
    expect(await host.exchange('AT+CREG?')).toBe('\r\n+CREG: 2,5,"0502","0404736D",0\r\n\r\nOK\r\n');
    fake.setRegistration({ stat: 0 });
    expect(await host.exchange('ATD+15550000001;')).toMatch(/\r\nNO CARRIER\r\n$/);
  });
});

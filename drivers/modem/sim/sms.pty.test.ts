import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ptyRig, type PtyRig } from '../../../test/modem/ptyRig.ts';
import type { ModemFamily } from './state.ts';

/** SMS over the PTY (27.005): text and PDU send with the bare `\r\n> ` prompt, receive with +CMTI/+CMGR. */

// SMS-SUBMIT as gammu 1.42 sent it to this fake for `sendsms TEXT +15551234567 -text "hello"`:
// 07 91 5155000000F0 (SMSC +15550000000) 11 (SUBMIT, VPF relative) 00 (MR) 0B 91 5155214365F7 (+15551234567)
// 00 (PID) 00 (DCS GSM7) FF (VP) 05 (UDL) E8329BFD06 ("hello")
const GAMMU_PDU = '07915155000000F011000B915155214365F70000FF05E8329BFD06';

beforeEach(() => {
  expect.hasAssertions();
});

describe.each(['sim800', 'quectel', 'sim7600', 'huawei'] as ModemFamily[])('SMS on %s', (family) => {
  let rig: PtyRig;
  beforeEach(async () => {
    rig = await ptyRig(family);
    await rig.host.exchange('ATE0');
  });
  afterEach(async () => {
    await rig.close();
  });

  it('text mode: prompt with no line end, body up to Ctrl-Z, +CMGS: <mr>', async () => {
    const { host, fake } = rig;
    expect(await host.exchange('AT+CMGF=1;+CSCS="GSM";+CSMP=17,167,0,0')).toBe('\r\nOK\r\n');
    host.skip();
    await host.cmd('AT+CMGS="+15551234567"');
    expect(await host.waitFor(/> /)).toBe('\r\n> ');
    await host.sleep(30);
    expect(host.pending).toBe(''); // nothing after the prompt: no line end
    await host.send('hello world\x1a');
    expect(await host.waitFor(/OK\r\n/)).toBe('\r\n+CMGS: 1\r\n\r\nOK\r\n');
    expect(fake.sms.sent).toEqual([{ mode: 'text', number: '+15551234567', text: 'hello world', mr: 1 }]);
  });

  it('text mode with UCS2 charset, ESC abort, and a scripted +CMS ERROR', async () => {
    const { host, fake } = rig;
    await host.exchange('AT+CMGF=1;+CSCS="UCS2"');
    host.skip();
    await host.cmd('AT+CMGS="002B0039003800390031003200330034"'); // "+9891234" in UCS2 hex
    await host.waitFor(/> /);
    await host.send('0633064406270645\x1a'); // "سلام"
    await host.waitFor(/OK\r\n/);
    expect(fake.sms.sent[0]).toMatchObject({ mode: 'text', number: '+9891234', text: 'سلام' });
    await host.cmd('AT+CMGS="002B0031"');
    await host.waitFor(/> /);
    await host.send('0041\x1b');
    expect(await host.waitFor(/OK\r\n/)).toBe('\r\nOK\r\n');
    fake.faults.failNextSms(500);
    await host.cmd('AT+CMGS="002B0031"');
    await host.waitFor(/> /);
    await host.send('0041\x1a');
    expect(await host.waitFor(/ERROR: \d+\r\n/)).toBe('\r\n+CMS ERROR: 500\r\n');
    expect(fake.sms.sent).toHaveLength(1);
  });

  it('PDU mode: AT+CMGS=<n>, hex body, number and text decoded', async () => {
    const { host, fake } = rig;
    await host.exchange('AT+CMGF=0');
    host.skip();
    await host.cmd('AT+CMGS=19');
    expect(await host.waitFor(/> /)).toBe('\r\n> ');
    await host.send(`${GAMMU_PDU}\x1a`);
    expect(await host.waitFor(/OK\r\n/)).toBe('\r\n+CMGS: 1\r\n\r\nOK\r\n');
    expect(fake.sms.sent).toEqual([{ mode: 'pdu', length: 19, pdu: GAMMU_PDU, number: '+15551234567', text: 'hello', mr: 1 }]);
  });

  it('receives: +CMTI, AT+CMGR in PDU and text mode, AT+CMGL, AT+CMGD', async () => {
    const { host, fake } = rig;
    await host.exchange('AT+CNMI=2,1,0,0,0');
    host.skip();
    expect(fake.deliverSms({ from: '+15557654321', text: 'hi' })).toBe(1);
    expect(await host.waitFor(/CMTI.*\r\n/)).toBe('\r\n+CMTI: "SM",1\r\n');
    // +CMGR: <stat>,,<TPDU octets>; SMSC 07 91 5155000000F0, SMS-DELIVER 04, OA 0B 91 5155674523F1,
    // PID 00, DCS 00 (GSM7), SCTS (7 octets, the clock's time), UDL 02, UD E834 ("hi").
    expect(await host.exchange('AT+CMGR=1')).toMatch(/^\r\n\+CMGR: 0,,21\r\n07915155000000F0040B915155674523F10000[0-9]{14}02E834\r\n\r\nOK\r\n$/);
    fake.deliverSms({ from: '+15557654321', text: 'Привет' });
    await host.waitFor(/"SM",2\r\n/);
    // Not GSM7: DCS 08 (UCS2), UDL 0C, UD = UTF-16BE.
    expect(await host.exchange('AT+CMGR=2')).toMatch(/^\r\n\+CMGR: 0,,31\r\n07915155000000F0040B915155674523F10008[0-9]{14}0C041F04400438043204350442\r\n\r\nOK\r\n$/);
    await host.exchange('AT+CMGF=1');
    expect(await host.exchange('AT+CMGR=1')).toMatch(/^\r\n\+CMGR: "REC READ","\+15557654321","","\d\d\/\d\d\/\d\d,\d\d:\d\d:\d\d\+00"\r\nhi\r\n\r\nOK\r\n$/);
    expect(await host.exchange('AT+CMGL="ALL"')).toMatch(/^\r\n\+CMGL: 1,"REC READ"[^\r]*\r\nhi\r\n\+CMGL: 2,"REC READ"[^\r]*\r\n\?{6}\r\n\r\nOK\r\n$/);
    await host.exchange('AT+CSCS="UCS2"');
    expect(await host.exchange('AT+CMGR=2')).toMatch(/^\r\n\+CMGR: "REC READ","002B00310035003500350037003600350034003300320031",[^\r]*\r\n041F04400438043204350442\r\n\r\nOK\r\n$/);
    expect(await host.exchange('AT+CMGD=1')).toBe('\r\nOK\r\n');
    expect(await host.exchange('AT+CMGR=1')).toBe('\r\n+CMS ERROR: 321\r\n');
    expect(fake.sms.list().map((m) => m.index)).toEqual([2]);
  });
});

import { describe, expect, it } from 'vitest';
import { loadTrace, toLines } from '../messages/atTraceFixtures.ts';
import { parseCmgrHeader } from '../messages/smsHeaders.ts';
import { decodeDeliver, decodeStatusReport } from './pduDeliver.ts';
import { decodeSubmit } from './pduSubmit.ts';

interface SmsFixture {
  gammu_at_sms_dumps: Array<{ source: { path: string }; raw: string }>;
  chan_dongle_cmgr: Array<{ input: string; expected_src: string }>;
}

const fx = loadTrace<SmsFixture>('multi-vendor-sms.json');

/** The +CMGR header's <length> and the PDU line of a Gammu dump, by file name. */
function dump(name: string): { pdu: string; length: number | undefined } {
  const d = fx.gammu_at_sms_dumps.find((x) => x.source.path.endsWith(`/${name}`));
  const lines = toLines(d?.raw ?? '');
  const i = lines.findIndex((l) => l.startsWith('+CMGR:'));
  const h = parseCmgrHeader(lines[i] ?? '');
  return { pdu: lines[i + 1] ?? '', length: h?.mode === 'pdu' ? h.length : undefined };
}

describe('decodeDeliver: real PDUs from Gammu tests/at-sms', () => {
  it.each([
    ['03.dump', { from: '+919884280026', fromType: 0x91, timestamp: '2007-05-03T07:04:40+05:30', text: 'Ok sir', smsc: '+919884005444' }],
    ['07.dump', { from: '+358456709855', timestamp: '2006-09-06T18:46:31+02:00', text: 'Test' }],
    ['09.dump', { from: '27838890001', timestamp: '1999-03-29T15:16:59+02:00', text: 'hellohello' }],
    ['12.dump', { from: '+622291320408', timestamp: '2007-10-19T12:28:35+07:00', text: 'aa cakep deh' }],
    ['21.dump', { from: '+380972566788', text: '3' }],
    ['23.dump', { from: '+447970011182', text: '' }],
    ['39.dump', { from: '9494', fromType: 0xa1, text: 'llamada perdida de: +34617653167 on 07/08  at  11:19.' }],
    // DCS 0xFB: data coding/message class group, GSM 7-bit (TS 23.038 §4).
    ['42.dump', { dcs: 0xfb, alphabet: 'gsm7', text: '1917812300     22:30   RATTHI', timestamp: '2019-08-05T08:09:35+05:30' }],
    // 8-bit WAP push (DCS 0xF5): decoded as latin1 text.
    ['40.dump', { alphabet: '8bit', from: '+11476124010' }],
  ])('%s', (name, expected) => {
    const { pdu, length } = dump(name);
    expect(decodeDeliver(pdu, length)).toMatchObject(expected);
  });

  it('22.dump is part 1 of 2 (UDH 00 03 01 02 01)', () => {
    const d = decodeDeliver(dump('22.dump').pdu);
    expect(d?.concat).toEqual({ ref: 1, total: 2, seq: 1 });
    expect(d?.text.startsWith('Ahoj pavle, tak me vcera nikdo neokradl')).toBe(true);
  });

  it('every dump decodes as DELIVER, SUBMIT or STATUS-REPORT, except the two corrupt ones', () => {
    const names = fx.gammu_at_sms_dumps.map((d) => d.source.path.split('/').pop() ?? '').filter((n) => n.endsWith('.dump'));
    expect(names).toHaveLength(36);
    const kinds = names.map((n) => {
      const { pdu, length } = dump(n);
      if (decodeDeliver(pdu, length)) return 'deliver';
      if (decodeSubmit(pdu)) return 'submit';
      if (decodeStatusReport(pdu, length)) return 'report';
      return n;
    });
    const count = (k: string): number => kinds.filter((x) => x === k).length;
    expect([count('deliver'), count('submit'), count('report')]).toEqual([18, 11, 5]);
    // 04.dump: the PDU line ends in a stray quote; 20.dump: UDHI set with no user data.
    expect(kinds.filter((k) => k.endsWith('.dump'))).toEqual(['04.dump', '20.dump']);
  });

  it('stored sent messages decode with decodeSubmit (16.dump UCS-2, 02.dump GSM)', () => {
    expect(decodeSubmit(dump('16.dump').pdu)).toMatchObject({ to: '1234', text: '123456', alphabet: 'ucs2' });
    expect(decodeSubmit(dump('02.dump').pdu)).toMatchObject({ to: '+639193770523', text: 'May salary na ba?', statusReportRequested: true });
  });
});

describe('decodeDeliver: chan_dongle test/parse.c +CMGR fixtures (expected number and text)', () => {
  for (const c of fx.chan_dongle_cmgr) {
    // expected_src: { 0, "<ud>", "<number>", [/* … */] "<ud>", "<text>" }
    const strings = [...c.expected_src.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '');
    const number = strings[1] ?? '';
    const text = strings[3] ?? '';
    it(`${number}: ${text.slice(0, 30)}…`, () => {
      const [header, pdu] = toLines(c.input);
      const h = parseCmgrHeader(header ?? '');
      const d = decodeDeliver(pdu ?? '', h?.mode === 'pdu' ? h.length : undefined);
      expect(d?.from).toBe(number);
      if (number === '+2222222222') {
        // The PDU holds 160 septets (7 UDH + 153 text) with `J.` then THREE blanks (septets 2E 20 20 20);
        // the expected string in the fixture has one. Our decode follows the bits.
        expect(d?.text).toHaveLength(153);
        expect(d?.text.replace(/ {3}/, ' ')).toBe(text);
      } else {
        expect(d?.text).toBe(text);
      }
    });
  }

  it('alphanumeric sender (TOA 0xD0) and concatenation headers', () => {
    const byFrom = (from: string) =>
      fx.chan_dongle_cmgr.map((c) => decodeDeliver(toLines(c.input)[1] ?? '')).find((d) => d?.from === from);
    expect(byFrom('Ufone')).toMatchObject({ fromType: 0xd0, concat: { ref: 0x99, total: 2, seq: 2 } });
    expect(byFrom('+22222222022')).toMatchObject({ alphabet: 'ucs2', concat: { ref: 0, total: 3, seq: 1 } });
  });
});

describe('python-gsmmodem captures: status reports and broken ZTE PDUs', () => {
  it('status report for +CMGS: 183 (MR 0xB7), delivered', () => {
    expect(decodeStatusReport('07917248014000F506B70AA18092020000317071518590803170715185418000', 24)).toEqual({
      smsc: '+27841004005',
      reference: 183,
      recipient: '0829200000',
      recipientType: 0xa1,
      submittedAt: '2013-07-17T15:58:09+02:00',
      dischargedAt: '2013-07-17T15:58:14+02:00',
      status: 0,
      delivered: true,
    });
  });

  it('ZTE status report under "+CMGR: ,,27"', () => {
    expect(decodeStatusReport('0297F1061C0F910B487228297020F5317062419272803170624192138000', 27)).toMatchObject({
      reference: 0x1c,
      submittedAt: '2013-07-26T14:29:27+02:00',
      dischargedAt: '2013-07-26T14:29:31+02:00',
      delivered: true,
    });
  });

  it('invalid time-zone semi-octet (python-gsmmodem#15) gives a null time, not a throw', () => {
    const r = decodeStatusReport('0006230E9126983575169498610103409544C26101034095448200', 26);
    // SCTS time zone octet C2 is not BCD; the discharge time (TZ 82 = +07:00, Indonesia) is fine.
    expect(r).toMatchObject({ reference: 0x23, recipient: '+62895357614989', submittedAt: null, dischargedAt: '2016-10-30T04:59:44+07:00' });
  });

  it('deliver "Hello raspberry pi" from +27748577604', () => {
    expect(decodeDeliver('07917248014000F3240B917247587706F400003110824115248012C8329BFD06C9C373B8B82C97E741F034', 35)).toMatchObject({
      from: '+27748577604',
      timestamp: '2013-01-28T14:51:42+02:00',
      text: 'Hello raspberry pi',
    });
  });
});

describe('robustness', () => {
  const good = '07917248014000F3240B917247587706F400003110824115248012C8329BFD06C9C373B8B82C97E741F034';
  it('a wrong SMSC length octet is overridden by the known TPDU length', () => {
    const broken = `08${good.slice(2)}`;
    expect(decodeDeliver(broken, 35)?.text).toBe('Hello raspberry pi');
    expect(decodeDeliver(broken)?.text).not.toBe('Hello raspberry pi');
  });
  it('never throws on truncations and garbage', () => {
    for (let n = 0; n <= good.length; n += 2) {
      expect(() => decodeDeliver(good.slice(0, n))).not.toThrow();
      expect(() => decodeStatusReport(good.slice(0, n))).not.toThrow();
      expect(() => decodeSubmit(good.slice(0, n))).not.toThrow();
    }
    for (const bad of ['', 'zz', '0', '00', 'FFFFFFFFFFFFFFFFFFFF', `${good}"`]) expect(decodeDeliver(bad)).toBeNull();
  });
  it('rejects other message types', () => {
    expect(decodeDeliver('07917248014000F506B70AA18092020000317071518590803170715185418000')).toBeNull();
    expect(decodeStatusReport(good)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { isCcgateError } from '../../../gateway/core/errors.ts';
import type { AtCommand } from '../session/AtCommand.ts';
import { PROFILES } from './detect.ts';
import type { InitOptions, InitStep, ModemProfile } from './ModemProfile.ts';

const ALL = Object.values(PROFILES);
const FULL: InitOptions = { dtmfDetect: true, smsMode: 'pdu' };

function texts(steps: InitStep[]): string[] {
  return steps.map((s) => s.cmd.text);
}
function step(steps: InitStep[], text: string): InitStep {
  const s = steps.find((x) => x.cmd.text === text);
  if (!s) throw new Error(`no step ${text} in ${texts(steps).join(' ')}`);
  return s;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Every command a profile can produce, for the "never" checks. */
function everyCommand(p: ModemProfile): AtCommand[] {
  const out: AtCommand[] = [];
  for (const dtmfDetect of [true, false]) {
    for (const smsMode of ['pdu', 'text'] as const) out.push(...p.initSteps({ dtmfDetect, smsMode }).map((s) => s.cmd));
  }
  out.push(p.answer(), p.hangup(), p.hangup(1), p.hangup(2), p.dial('+27821231234'), p.hold(), p.conference());
  out.push(p.transfer(), p.sendDtmf('5', 1), p.clcc());
  const q = p.queries;
  out.push(q.csq, q.creg, q.cops, q.cpin, ...q.identification);
  if (q.cereg) out.push(q.cereg);
  const a = p.audio;
  for (const c of [a.pcmStart, a.pcmStop, a.moduleStop, a.modulePlay?.('C:\\User\\hello.amr')]) if (c) out.push(c);
  return out;
}

describe('every profile', () => {
  it.each(ALL.map((p) => [p.family, p] as const))('%s never emits AT+QHUP (RoEdAl#3: it hangs EP06)', (_f, p) => {
    const cmds = everyCommand(p);
    expect(cmds.length).toBeGreaterThan(20);
    expect(cmds.filter((c) => /QHUP/i.test(c.text))).toEqual([]);
  });

  it.each(ALL.map((p) => [p.family, p] as const))('%s: shared init head, SMS and registration', (_f, p) => {
    const steps = p.initSteps(FULL);
    expect(texts(steps).slice(0, 3)).toEqual(['ATE0', 'AT+CMEE=1', 'AT+CLIP=1']);
    expect(texts(steps)).toEqual(expect.arrayContaining(['AT+CNMI=2,1,0,2,0', 'AT+CMGF=0', 'AT+CREG=2']));
    expect(texts(p.initSteps({ dtmfDetect: true, smsMode: 'text' }))).toContain('AT+CMGF=1');
    expect(step(steps, 'ATE0').cmd.timeout).toBe('quick');
    for (const s of steps) expect(s.why.length).toBeGreaterThan(10);
    expect(p.clccPollMs).toBe(2000);
    expect(p.quirks.echoAfterReboot).toBe(true);
  });

  it.each(ALL.map((p) => [p.family, p] as const))('%s: call control commands carry the right metadata', (_f, p) => {
    expect(p.answer()).toMatchObject({ text: 'ATA', finals: 'dial', timeout: 'call' });
    expect(p.answer().retryable).toBeUndefined();
    expect(p.hangup()).toMatchObject({ text: 'AT+CHUP', timeout: 'call', priority: 'urgent' });
    expect(p.hangup(2)).toMatchObject({ text: 'AT+CHLD=12', timeout: 'call' });
    expect(p.dial('+27821231234')).toEqual({ text: 'ATD+27821231234;', finals: 'dial', timeout: 'dial' });
    expect([p.hold().text, p.conference().text, p.transfer().text]).toEqual(['AT+CHLD=2', 'AT+CHLD=3', 'AT+CHLD=4']);
    expect(p.clcc()).toEqual({ text: 'AT+CLCC', expect: ['+CLCC:'], timeout: 'quick', retryable: true, priority: 'urgent' });
  });

  it.each(ALL.map((p) => [p.family, p] as const))('%s: queries', (_f, p) => {
    const q = p.queries;
    expect(q.csq).toMatchObject({ text: 'AT+CSQ', expect: ['+CSQ:'], retryable: true });
    expect(q.creg).toMatchObject({ text: 'AT+CREG?', expect: ['+CREG:'] });
    expect(q.cops).toMatchObject({ text: 'AT+COPS?', expect: ['+COPS:'] });
    expect(q.cpin).toMatchObject({ text: 'AT+CPIN?', expect: ['+CPIN:'] });
    // None of the five families answers AT+CPIN? without OK (that is Wavecom).
    expect(q.cpin.completesOn).toBeUndefined();
    expect(q.identification.map((c) => c.text)).toEqual(['ATI', 'AT+CGMI', 'AT+CGMM', 'AT+CGMR', 'AT+CGSN']);
    for (const c of q.identification) expect(c.expect).toBe('any');
  });

  it('refuses dial strings and digits that could smuggle a second command', () => {
    for (const p of ALL) {
      for (const bad of ['123;+CFUN=0', '12"3', '', '12\r3']) {
        expect(thrown(() => p.dial(bad))).toSatisfy((e: unknown) => isCcgateError(e, 'MODEM_UNSUPPORTED'));
      }
      expect(() => p.sendDtmf('12', 1)).toThrow();
      expect(() => p.sendDtmf(';', 1)).toThrow();
      expect(() => p.hangup(10)).toThrow();
    }
    expect(() => PROFILES.sim800.audio.modulePlay?.('a"b')).toThrow();
  });

  it('keeps the dialled number exactly as given (national, international, DTMF pauses)', () => {
    expect(PROFILES.generic.dial('0612345678').text).toBe('ATD0612345678;');
    expect(PROFILES.generic.dial('+420123456789,,5').text).toBe('ATD+420123456789,,5;');
  });
});

describe('SIM800', () => {
  const p = PROFILES.sim800;
  it('enables DDET as an optional step, GSM only, polls CLCC, plays module files', () => {
    const steps = p.initSteps(FULL);
    expect(step(steps, 'AT+DDET=1,0,0')).toMatchObject({ optional: true });
    expect(texts(steps)).not.toContain('AT+CEREG=2');
    expect(texts(p.initSteps({ dtmfDetect: false, smsMode: 'pdu' }))).not.toContain('AT+DDET=1,0,0');
    expect(p.queries.cereg).toBeNull();
    expect(p.callStateSource).toBe('clccPoll');
    expect(p.dtmfDetection).toBe('urc');
    expect(p.audio.preferred).toBe('module');
    expect(p.audio.modulePlay?.('C:\\User\\hello.amr').text).toBe('AT+CREC=4,"C:\\User\\hello.amr",0,90');
    expect(p.rebootMarkers).toEqual(['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready', 'SMS Ready']);
    expect(p.sendDtmf('#', 3).text).toBe('AT+VTS=#');
  });
});

describe('SIM7600', () => {
  const p = PROFILES.sim7600;
  it('asks for +CLCC URC blocks and DDET, with optional CEREG', () => {
    const steps = p.initSteps(FULL);
    expect(texts(steps)).toEqual(expect.arrayContaining(['AT+CRC=1', 'AT+CLCC=1', 'AT+DDET=1']));
    expect(step(steps, 'AT+DDET=1').optional).toBeUndefined();
    expect(step(steps, 'AT+CEREG=2').optional).toBe(true);
    expect(p.callStateSource).toBe('clccUrc');
    expect(p.quirks.clccStateSixIsEnded).toBe(true);
    expect(p.queries.cereg?.text).toBe('AT+CEREG?');
  });
  it('uses host PCM via AT+CPCMREG and reboots on RDY / +CPIN: READY', () => {
    expect(p.audio.preferred).toBe('pcm');
    expect([p.audio.pcmStart?.text, p.audio.pcmStop?.text]).toEqual(['AT+CPCMREG=1', 'AT+CPCMREG=0']);
    expect(p.audio.modulePlay?.('c:/x.wav').text).toMatch(/^AT\+CCMXPLAY="c:\/x\.wav"/);
    expect(p.rebootMarkers).toEqual(['RDY', '+CPIN: READY']);
  });
});

describe('Quectel', () => {
  const p = PROFILES.quectel;
  it('enables QTONEDET and ccinfo (optional: EP06 lacks it), hangs up with CHUP', () => {
    const steps = p.initSteps(FULL);
    expect(step(steps, 'AT+QTONEDET=1').cmd.timeout).toBe('quick');
    expect(step(steps, 'AT+QINDCFG="ccinfo",1,0')).toMatchObject({ optional: true });
    expect(step(steps, 'AT+QINDCFG="ccinfo",1,0').why).toContain('RoEdAl#3');
    expect(step(steps, 'AT+CEREG=2').optional).toBe(true);
    expect(p.hangup().text).toBe('AT+CHUP');
    expect(p.callStateSource).toBe('quectelCcinfo');
  });
  it('uses host PCM via AT+QPCMV and reboots on RDY / +QUSIM: 1', () => {
    expect([p.audio.pcmStart?.text, p.audio.pcmStop?.text]).toEqual(['AT+QPCMV=1,0', 'AT+QPCMV=0']);
    expect(p.audio.modulePlay?.('RAM:a.wav').text).toMatch(/^AT\+QPSND=/);
    expect(p.rebootMarkers).toEqual(['RDY', '+QUSIM: 1']);
  });
});

describe('Huawei', () => {
  const p = PROFILES.huawei;
  it('sends DTMF with AT^DTMF=<idx>,<d> and detects in-band', () => {
    expect(p.sendDtmf('7', 2)).toEqual({ text: 'AT^DTMF=2,7', timeout: 'normal' });
    expect(p.dtmfDetection).toBe('inBand');
    expect(step(p.initSteps(FULL), 'AT^DDTMFCFG=0,1').optional).toBe(true);
    expect(p.quirks.commandNotSupportIsError).toBe(true);
  });
  it('does not treat the periodic ^BOOT line as a reboot, streams PCM after AT^DDSETEX=2', () => {
    expect(p.rebootMarkers).toEqual([]);
    expect(p.rebootMarkers.some((m) => m.startsWith('^BOOT'))).toBe(false);
    expect(p.audio).toMatchObject({ preferred: 'pcm', pcmStart: { text: 'AT^DDSETEX=2' }, modulePlay: null });
    expect(p.callStateSource).toBe('huaweiUrc');
    expect(texts(p.initSteps(FULL))).not.toContain('AT+CEREG=2');
  });
});

describe('generic', () => {
  it('uses only standard commands, polls CLCC, no audio of its own', () => {
    const p = PROFILES.generic;
    // dtmfDetect is asked for, but 27.007 has no DTMF-detect command: nothing proprietary is sent.
    expect(texts(p.initSteps(FULL))).toEqual([
      'ATE0', 'AT+CMEE=1', 'AT+CLIP=1', 'AT+CRC=1', 'AT+CMGF=0', 'AT+CNMI=2,1,0,2,0', 'AT+CREG=2', 'AT+CEREG=2',
    ]);
    expect(p.callStateSource).toBe('clccPoll');
    expect(p.audio.preferred).toBe('silent');
    expect(p.dtmfDetection).toBe('inBand');
  });
});

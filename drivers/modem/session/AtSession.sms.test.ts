import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AtCommand } from './AtCommand.ts';
import { isAtCommandError } from './AtCommandError.ts';
import { advance, createHarness, type Harness, type Settled, SPLIT_MODES, type SplitMode, splitName, track } from './testing.ts';

/**
 * gsm-modems.md §10 scenarios 12 (SMS send edge cases) and 14 (multi-line
 * answers with URCs inside), fed whole, byte by byte and randomly split.
 */

const PDU = '0011000B917228121332F40000AA0AE8329BFD4697D9EC37';
const CMGS: AtCommand = { text: 'AT+CMGS=23', expect: ['+CMGS:'], timeout: 'normal', payload: PDU };

function outcome(s: Settled<unknown>): unknown {
  if (s.status === 'resolved') return s.value;
  if (s.status === 'rejected') return isAtCommandError(s.error) ? { error: s.error.code, reason: s.error.reason, deviceCode: s.error.deviceCode } : { error: String(s.error) };
  return 'pending';
}

function snapshot(h: Harness, results: Array<{ readonly result: Settled<unknown> }>) {
  expect(h.transport.violations).toEqual([]);
  return { results: results.map((r) => outcome(r.result)), events: h.events, written: h.transport.writtenText, timers: h.clock.pendingTimers() };
}

async function inAllModes(body: (mode: SplitMode) => Promise<ReturnType<typeof snapshot>>) {
  const first = await body('whole');
  for (const mode of SPLIT_MODES.slice(1)) expect(await body(mode), splitName(mode)).toEqual(first);
  return first;
}

/** Send AT+CMGS with the prompt stream `before`, then `after` once the payload is written. */
async function sendSms(mode: SplitMode, before: string, after: string) {
  const h = createHarness(mode);
  h.reply('AT+CMGS=23\r', before);
  h.reply(PDU + '\x1a', after);
  const r = track(h.session.send(CMGS));
  await advance(h.clock, 1_000);
  return snapshot(h, [r]);
}

describe('scenario 12: SMS send edge cases', () => {
  it('(a) "\\r\\n> " with no line end: payload + Ctrl-Z written, +CMGS resolves', async () => {
    const snap = await inAllModes((mode) => sendSms(mode, '\r\n> ', '\r\n+CMGS: 183\r\n\r\nOK\r\n'));
    expect(snap.results).toEqual([{ command: 'AT+CMGS=23', lines: ['+CMGS: 183'], final: { kind: 'ok' } }]);
    expect(snap.written).toBe(`AT+CMGS=23\r${PDU}\x1a`);
    expect(snap.events).toEqual([['commandSucceeded', 'AT+CMGS=23']]);
    expect(snap.timers).toEqual([]);
  });

  it('(a′) the modem echoes the PDU after the prompt: dropped as echo', async () => {
    const snap = await inAllModes((mode) => sendSms(mode, '\r\n> ', `${PDU}\x1a\r\n+CMGS: 7\r\n\r\nOK\r\n`));
    expect(snap.results).toEqual([{ command: 'AT+CMGS=23', lines: ['+CMGS: 7'], final: { kind: 'ok' } }]);
    expect(snap.events).toEqual([['commandSucceeded', 'AT+CMGS=23']]);
  });

  it('(b) ZTE +ZDONR/+ZPASR before the prompt "> \\r\\n" (fixture python-gsmmodem #11)', async () => {
    const fx = JSON.parse(readFileSync(new URL('../../../test/fixtures/at-traces/python-gsmmodem-scenarios.json', import.meta.url), 'utf8')) as {
      sequences: Array<{ line: number; rx: unknown[] }>;
    };
    const before = (fx.sequences.find((s) => s.line === 1542)!.rx as string[]).join('');
    expect(before).toContain('> \r\n');
    const snap = await inAllModes((mode) => sendSms(mode, before, '+CMGS: 12\r\nOK\r\n'));
    expect(snap.results).toEqual([{ command: 'AT+CMGS=23', lines: ['+CMGS: 12'], final: { kind: 'ok' } }]);
    expect(snap.events).toEqual([
      ['urc', '+ZDONR: "METEOR",272,3,"CS_ONLY","ROAM_OFF"', [], false],
      ['urc', '+ZPASR: "UMTS"', [], false],
      ['commandSucceeded', 'AT+CMGS=23'],
    ]);
  });

  it('(c) RING and +CLIP between the prompt and +CMGS: the call is delivered, the SMS resolves', async () => {
    const snap = await inAllModes((mode) => sendSms(mode, '> ', '\r\nRING\r\n\r\n+CLIP: "+27821231234",145,,,,0\r\n\r\n+CMGS: 183\r\n\r\nOK\r\n'));
    expect(snap.results).toEqual([{ command: 'AT+CMGS=23', lines: ['+CMGS: 183'], final: { kind: 'ok' } }]);
    expect(snap.events).toEqual([
      ['urc', 'RING', [], true],
      ['urc', '+CLIP: "+27821231234",145,,,,0', [], true],
      ['commandSucceeded', 'AT+CMGS=23'],
    ]);
  });

  it('(d) +CMS ERROR: 500 after Ctrl-Z: a typed error with the device code and its text', async () => {
    const snap = await inAllModes((mode) => sendSms(mode, '> ', '\r\n+CMS ERROR: 500\r\n'));
    expect(snap.results).toEqual([{ error: 'AT_CMS', reason: 'cms', deviceCode: 500 }]);
    const h = createHarness('whole', { deviceCodeText: (kind, code) => (kind === 'cms' && code === 500 ? 'unknown error' : undefined) });
    h.reply('AT+CMGS=23\r', '> ');
    h.reply(PDU + '\x1a', '\r\n+CMS ERROR: 500\r\n');
    const err = await h.session.send(CMGS).catch((e: unknown) => e);
    expect(isAtCommandError(err, 'cms') && err.deviceText).toBe('unknown error');
    expect(isAtCommandError(err) && err.message).toBe('AT+CMGS=23: cms 500 (unknown error)');
  });

  it('(d′) +CMS ERROR before any prompt fails the command without writing the payload', async () => {
    const snap = await inAllModes((mode) => sendSms(mode, '\r\n+CMS ERROR: 330\r\n', ''));
    expect(snap.results).toEqual([{ error: 'AT_CMS', reason: 'cms', deviceCode: 330 }]);
    expect(snap.written).toBe('AT+CMGS=23\r');
  });

  it('(e) no prompt within 5 s: ESC written, promptTimeout, resync before the next command', async () => {
    const h = createHarness();
    const sms = track(h.session.send(CMGS));
    const next = track(h.session.send({ text: 'AT+CSQ', expect: ['+CSQ:'], timeout: 'quick' }));
    h.reply('AT\r', '\r\nOK\r\n');
    h.reply('AT+CSQ\r', '\r\n+CSQ: 9,99\r\n\r\nOK\r\n');
    await advance(h.clock, 4_999);
    expect(sms.result.status).toBe('pending');
    expect(h.transport.writtenText).toBe('AT+CMGS=23\r');
    await advance(h.clock, 1);
    expect(outcome(sms.result)).toEqual({ error: 'AT_TIMEOUT', reason: 'promptTimeout', deviceCode: null });
    await advance(h.clock, 1_000);
    expect(h.transport.writtenText).toBe('AT+CMGS=23\r\x1bAT\rATS6=3S6?\rAT+CSQ\r');
    expect(outcome(next.result)).toEqual({ command: 'AT+CSQ', lines: ['+CSQ: 9,99'], final: { kind: 'ok' } });
    expect(h.session.consecutiveFailures).toBe(0);
    expect(h.clock.pendingTimers()).toEqual([]);
  });

  it('a prompt that beats the write completion still leads to exactly one payload write', async () => {
    const h = createHarness();
    // Deliver the prompt synchronously inside the write, before the write promise settles.
    h.transport.onHostWrite((_, text) => {
      if (text === 'AT+CMGS=23\r') h.transport.deviceWrite('> ');
      if (text.endsWith('\x1a')) h.transport.deviceWrite('\r\n+CMGS: 1\r\n\r\nOK\r\n');
    });
    const r = track(h.session.send(CMGS));
    await advance(h.clock, 10);
    expect(outcome(r.result)).toEqual({ command: 'AT+CMGS=23', lines: ['+CMGS: 1'], final: { kind: 'ok' } });
    expect(h.transport.writtenText).toBe(`AT+CMGS=23\r${PDU}\x1a`);
  });
});

describe('the at-most-once hook (beforePayload)', () => {
  it('is called once, after the prompt and before the payload is written', async () => {
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      const seen: string[] = [];
      h.reply('AT+CMGS=23\r', '\r\n> ');
      h.reply(PDU + '\x1a', '\r\n+CMGS: 5\r\n\r\nOK\r\n');
      const r = track(h.session.send({ ...CMGS, beforePayload: () => seen.push(h.transport.writtenText) }));
      await advance(h.clock, 1_000);
      expect(seen).toEqual(['AT+CMGS=23\r']);
      return snapshot(h, [r]);
    });
    expect(snap.results).toEqual([{ command: 'AT+CMGS=23', lines: ['+CMGS: 5'], final: { kind: 'ok' } }]);
  });

  it('is not called when no prompt comes (+CMS ERROR before it, or a prompt timeout)', async () => {
    const h = createHarness();
    let calls = 0;
    h.reply('AT+CMGS=23\r', '\r\n+CMS ERROR: 330\r\n');
    const first = track(h.session.send({ ...CMGS, beforePayload: () => calls++ }));
    await advance(h.clock, 100);
    expect(outcome(first.result)).toEqual({ error: 'AT_CMS', reason: 'cms', deviceCode: 330 });
    const second = track(h.session.send({ ...CMGS, beforePayload: () => calls++ }));
    await advance(h.clock, 6_000);
    expect(outcome(second.result)).toEqual({ error: 'AT_TIMEOUT', reason: 'promptTimeout', deviceCode: null });
    expect(calls).toBe(0);
  });

  it('throws: no payload, ESC instead, payloadNotSent with the cause, resync before the next command', async () => {
    const h = createHarness();
    const refusal = new Error('store full');
    h.reply('AT+CMGS=23\r', '\r\n> ');
    h.reply('AT\r', '\r\nOK\r\n');
    h.reply('AT+CSQ\r', '\r\n+CSQ: 9,99\r\n\r\nOK\r\n');
    const sms = track(
      h.session.send({
        ...CMGS,
        beforePayload: () => {
          throw refusal;
        },
      }),
    );
    const next = track(h.session.send({ text: 'AT+CSQ', expect: ['+CSQ:'], timeout: 'quick' }));
    await advance(h.clock, 1_000);
    expect(outcome(sms.result)).toEqual({ error: 'AT_ABORTED', reason: 'payloadNotSent', deviceCode: null });
    const err = sms.result.status === 'rejected' ? sms.result.error : null;
    expect(isAtCommandError(err) && err.cause).toBe(refusal);
    expect(isAtCommandError(err) && err.message).toBe('AT+CMGS=23: payloadNotSent');
    expect(h.transport.writtenText).toBe('AT+CMGS=23\r\x1bAT\rATS6=3S6?\rAT+CSQ\r');
    expect(h.transport.writtenText).not.toContain(PDU);
    expect(outcome(next.result)).toEqual({ command: 'AT+CSQ', lines: ['+CSQ: 9,99'], final: { kind: 'ok' } });
    expect(h.session.consecutiveFailures).toBe(0);
    expect(h.clock.pendingTimers()).toEqual([]);
    expect(h.transport.violations).toEqual([]);
  });

  it('throws when the prompt beat the write completion: still no payload, one ESC', async () => {
    const h = createHarness();
    h.transport.onHostWrite((_, text) => {
      if (text === 'AT+CMGS=23\r') h.transport.deviceWrite('> ');
    });
    const sms = track(
      h.session.send({
        ...CMGS,
        beforePayload: () => {
          throw new Error('no');
        },
      }),
    );
    await advance(h.clock, 10);
    expect(outcome(sms.result)).toEqual({ error: 'AT_ABORTED', reason: 'payloadNotSent', deviceCode: null });
    expect(h.transport.writtenText.startsWith('AT+CMGS=23\r\x1b')).toBe(true);
    expect(h.transport.writtenText).not.toContain(PDU);
  });
});

describe('scenario 14: multi-line answers with URCs inside', () => {
  const CMGR: AtCommand = { text: 'AT+CMGR=3', expect: ['+CMGR:'], bodyLines: 1, timeout: 'normal' };
  const CMGR_PDU = '07917248014000F506B70AA18092020000317071518590803170715185418000';

  it('+CMGR header, RING, PDU: the PDU attaches to its header, RING is dispatched', async () => {
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      h.reply('AT+CMGR=3\r', `\r\n+CMGR: 0,,106\r\nRING\r\n${CMGR_PDU}\r\n\r\nOK\r\n`);
      const r = track(h.session.send(CMGR));
      await advance(h.clock, 100);
      return snapshot(h, [r]);
    });
    expect(snap.results).toEqual([{ command: 'AT+CMGR=3', lines: ['+CMGR: 0,,106', CMGR_PDU], final: { kind: 'ok' } }]);
    expect(snap.events).toEqual([['urc', 'RING', [], true], ['commandSucceeded', 'AT+CMGR=3']]);
  });

  it('+CMGL with +CMTI between entries, and a two-line +CMT whose PDU is not the list\'s', async () => {
    const stream =
      '\r\n+CMGL: 1,1,,23\r\nAAAA01\r\n+CMTI: "SM",5\r\n+CMGL: 2,1,,23\r\nBBBB02\r\n' +
      '+CMT: ,23\r\nCCCC03\r\n+CMGL: 3,0,,23\r\n+CMTI: "SM",6\r\nDDDD04\r\n\r\nOK\r\n';
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      h.reply('AT+CMGL=4\r', stream);
      const r = track(h.session.send({ text: 'AT+CMGL=4', expect: ['+CMGL:'], bodyLines: 1, timeout: 'normal' }));
      await advance(h.clock, 100);
      return snapshot(h, [r]);
    });
    expect(snap.results).toEqual([
      { command: 'AT+CMGL=4', lines: ['+CMGL: 1,1,,23', 'AAAA01', '+CMGL: 2,1,,23', 'BBBB02', '+CMGL: 3,0,,23', 'DDDD04'], final: { kind: 'ok' } },
    ]);
    expect(snap.events).toEqual([
      ['urc', '+CMTI: "SM",5', [], true],
      ['urc', '+CMT: ,23', ['CCCC03'], true],
      ['urc', '+CMTI: "SM",6', [], true],
      ['commandSucceeded', 'AT+CMGL=4'],
    ]);
  });

  it('a final wins over an owed body line: a missing PDU never hangs the command', async () => {
    const h = createHarness();
    h.reply('AT+CMGR=3\r', '\r\n+CMGR: 0,,106\r\n\r\nOK\r\n');
    const r = track(h.session.send(CMGR));
    await advance(h.clock, 10);
    expect(outcome(r.result)).toEqual({ command: 'AT+CMGR=3', lines: ['+CMGR: 0,,106'], final: { kind: 'ok' } });
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../gateway/core/Random.ts';
import type { AtCommand } from './AtCommand.ts';
import { isAtCommandError } from './AtCommandError.ts';
import { advance, createHarness, type Harness, type Settled, SPLIT_MODES, type SplitMode, splitName, track } from './testing.ts';

/**
 * Acceptance scenarios of gsm-modems.md §10 at the session level. Every DCE
 * stream is fed whole, byte by byte and randomly split; the emitted events,
 * the bytes written and the results must be identical in all runs.
 */

const CSQ: AtCommand = { text: 'AT+CSQ', expect: ['+CSQ:'], timeout: 'quick' };
const AT: AtCommand = { text: 'AT', timeout: 'quick' };

function outcome(s: Settled<unknown>): unknown {
  if (s.status === 'resolved') return s.value;
  if (s.status === 'rejected') {
    const e = s.error;
    return isAtCommandError(e) ? { error: e.code, reason: e.reason, deviceCode: e.deviceCode } : { error: String(e) };
  }
  return 'pending';
}

/** Snapshot after a run: what the session told the world and wrote. */
function snapshot(h: Harness, results: Array<{ readonly result: Settled<unknown> }>) {
  expect(h.transport.violations).toEqual([]);
  return {
    results: results.map((r) => outcome(r.result)),
    events: h.events,
    written: h.transport.writtenText,
    timers: h.clock.pendingTimers(),
    unknownUrcs: h.session.unknownUrcCount,
  };
}

/** Run `body` once per split mode; all snapshots must be equal; returns the whole-stream one. */
async function inAllModes(body: (mode: SplitMode) => Promise<ReturnType<typeof snapshot>>) {
  const first = await body('whole');
  for (const mode of SPLIT_MODES.slice(1)) expect(await body(mode), splitName(mode)).toEqual(first);
  return first;
}

describe('scenario 1: URC inside a command response', () => {
  it('AT+CSQ with ^RSSI and ^HCSQ inside resolves to the CSQ line; the URCs go out', async () => {
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      h.reply('AT+CSQ\r', '\r\n^RSSI:26\r\n\r\n^HCSQ:"LTE",60,52,106,24\r\n\r\n+CSQ: 28,99\r\n\r\nOK\r\n');
      const r = track(h.session.send(CSQ));
      await advance(h.clock, 5_000);
      return snapshot(h, [r]);
    });
    expect(snap.results).toEqual([{ command: 'AT+CSQ', lines: ['+CSQ: 28,99'], final: { kind: 'ok' } }]);
    expect(snap.events).toEqual([
      ['urc', '^RSSI:26', [], true],
      ['urc', '^HCSQ:"LTE",60,52,106,24', [], false],
      ['commandSucceeded', 'AT+CSQ'],
    ]);
    expect(snap.written).toBe('AT+CSQ\r');
    expect(snap.unknownUrcs).toBe(1);
    expect(snap.timers).toEqual([]);
  });

  it('variant (fixture): OK then +CIEV, +CRING, +CLIP in the same read: command first, then each URC once', async () => {
    const fx = JSON.parse(readFileSync(new URL('../../../test/fixtures/at-traces/multi-vendor-final-result-and-echo.json', import.meta.url), 'utf8')) as {
      final_result_ok: Array<{ line: number; input: string }>;
    };
    const stream = fx.final_result_ok.find((r) => r.line === 56)!.input;
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      h.reply('AT\r', stream);
      const r = track(h.session.send(AT));
      await advance(h.clock, 100);
      return snapshot(h, [r]);
    });
    expect(snap.results).toEqual([{ command: 'AT', lines: [], final: { kind: 'ok' } }]);
    expect(snap.events).toEqual([
      ['commandSucceeded', 'AT'],
      ['urc', '+CIEV: 7,1', [], true],
      ['urc', '+CRING: VOICE', [], true],
      ['urc', '+CLIP: "+0123456789",145,,,,0', [], true],
    ]);
  });
});

describe('scenario 6: late response after a timeout', () => {
  it('the stale +COPS/OK never become CLCC data: resync (AT, marker, quiet) runs before CLCC is written', async () => {
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode, { answerMarkers: false });
      const cops = track(h.session.send({ text: 'AT+COPS?', expect: ['+COPS:'], timeout: 'normal' }));
      const clcc = track(h.session.send({ text: 'AT+CLCC', expect: ['+CLCC:'], timeout: 'quick' }));
      h.reply('AT+CLCC\r', '\r\n+CLCC: 1,1,4,0,0,"+27821231234",145\r\n\r\nOK\r\n');
      await advance(h.clock, 10_000); // COPS times out; the probe AT goes out
      expect(h.transport.writtenText).toBe('AT+COPS?\rAT\r');
      // The modem was still busy: the late COPS answer. Its OK looks like the probe's (it only proves the
      // modem is there); the marker follows.
      await advance(h.clock, 1_500);
      h.deliver('\r\n+COPS: 0,0,"TELE2",0\r\n\r\nOK\r\n');
      await advance(h.clock, 50);
      expect(h.transport.writtenText).toBe('AT+COPS?\rAT\rATS6=3S6?\r');
      h.deliver('\r\nOK\r\n'); // the probe's own OK, late: stale, dropped
      await advance(h.clock, 1_000);
      expect(h.transport.writtenText).toBe('AT+COPS?\rAT\rATS6=3S6?\r');
      h.deliver('\r\n003\r\n\r\nOK\r\n'); // the marker's answer: in step again
      await advance(h.clock, 199); // then the quiet period: CLCC not yet written
      expect(h.transport.writtenText).toBe('AT+COPS?\rAT\rATS6=3S6?\r');
      await advance(h.clock, 1_000);
      return snapshot(h, [cops, clcc]);
    });
    expect(snap.results[0]).toEqual({ error: 'AT_TIMEOUT', reason: 'timeout', deviceCode: null });
    expect(snap.results[1]).toEqual({ command: 'AT+CLCC', lines: ['+CLCC: 1,1,4,0,0,"+27821231234",145'], final: { kind: 'ok' } });
    expect(snap.written).toBe('AT+COPS?\rAT\rATS6=3S6?\rAT+CLCC\r');
    expect(snap.events).toEqual([
      ['commandFailed', 'AT+COPS?', 'timeout'],
      ['urc', '+COPS: 0,0,"TELE2",0', [], false],
      ['commandSucceeded', 'AT'],
      ['strayFinal', 'OK'],
      ['commandSucceeded', 'ATS6=3S6?'],
      ['commandSucceeded', 'AT+CLCC'],
    ]);
    expect(snap.timers).toEqual([]);
  });

  it('the timeout error carries the command, the wait and the stack of the send() caller', async () => {
    const h = createHarness();
    const p = h.session.send({ text: 'AT+COPS?', expect: ['+COPS:'], timeout: 'normal' });
    const r = track(p);
    await advance(h.clock, 10_000);
    expect(r.result.status).toBe('rejected');
    const e = (r.result as { error: unknown }).error;
    expect(isAtCommandError(e, 'timeout')).toBe(true);
    if (!isAtCommandError(e)) return;
    expect(e.message).toBe('AT+COPS?: timeout after 10000 ms');
    expect(e.context).toMatchObject({ command: 'AT+COPS?', reason: 'timeout', waitedMs: 10_000 });
    expect(e.stack).toContain('--- command enqueued at ---');
    expect(e.stack).toContain('AtSession.scenarios.test.ts');
  });
});

describe('scenario 7: echo on, off, flapping', () => {
  const CPIN: AtCommand = { text: 'AT+CPIN?', expect: ['+CPIN:'], timeout: 'normal' };
  it.each([
    ['echo on', 'AT+CPIN?\r\r\n+CPIN: READY\r\n\r\nOK\r\n'],
    ['echo off', '\r\n+CPIN: READY\r\n\r\nOK\r\n'],
    ['echo in lower case', 'at+cpin?\r\r\n+CPIN: READY\r\n\r\nOK\r\n'],
  ])('%s: same answer, echo never data or URC', async (_, stream) => {
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      h.reply('AT+CPIN?\r', stream);
      const r = track(h.session.send(CPIN));
      await advance(h.clock, 100);
      return snapshot(h, [r]);
    });
    expect(snap.results).toEqual([{ command: 'AT+CPIN?', lines: ['+CPIN: READY'], final: { kind: 'ok' } }]);
    expect(snap.events).toEqual([['commandSucceeded', 'AT+CPIN?']]);
  });

  it('\\x1b\\rAT\\r\\r\\nOK (gammu#115): the ESC is discarded, the AT echo dropped, OK completes', async () => {
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      h.reply('AT\r', '\x1b\rAT\r\r\nOK\r\n');
      const r = track(h.session.send(AT));
      await advance(h.clock, 100);
      return snapshot(h, [r]);
    });
    // The ESC was thrown away while AT was in flight: the answer says so (a line of it may be missing).
    expect(snap.results).toEqual([{ command: 'AT', lines: [], final: { kind: 'ok' }, discarded: 1 }]);
    expect(snap.events).toEqual([['discarded', 'garbage', '1b'], ['commandSucceeded', 'AT']]);
  });

  it('echo back on after a reboot: a different AT… echo is still dropped', async () => {
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      h.reply('ATE0\r', 'ATE0\r\r\nOK\r\n');
      h.reply('AT+CSQ\r', 'AT+CSQ\r\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
      const a = track(h.session.send({ text: 'ATE0', timeout: 'quick' }));
      const b = track(h.session.send(CSQ));
      await advance(h.clock, 100);
      return snapshot(h, [a, b]);
    });
    expect(snap.results[1]).toEqual({ command: 'AT+CSQ', lines: ['+CSQ: 20,99'], final: { kind: 'ok' } });
    expect(snap.events).toEqual([['commandSucceeded', 'ATE0'], ['commandSucceeded', 'AT+CSQ']]);
  });
});

describe('scenario 8: CR/LF oddities and split tokens', () => {
  it.each([
    ['+CSQ then \\r\\r\\n before OK', '+CSQ: 24,99\r\n\r\r\nOK\r\n', ['+CSQ: 24,99']],
    ['blank-line runs', '\r\n\r\n\r\n+CSQ: 24,99\r\n\r\n\r\n\r\nOK\r\n\r\n\r\n', ['+CSQ: 24,99']],
    ['leading NULs', '\0\0\r\n+CSQ: 24,99\r\n\r\nOK\r\n', ['+CSQ: 24,99']],
  ])('%s', async (_, stream, lines) => {
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      h.reply('AT+CSQ\r', stream);
      const r = track(h.session.send(CSQ));
      await advance(h.clock, 100);
      return snapshot(h, [r]);
    });
    expect(snap.results).toEqual([{ command: 'AT+CSQ', lines, final: { kind: 'ok' } }]);
    expect(snap.events).toEqual([['commandSucceeded', 'AT+CSQ']]);
  });

  it('"O" | "K\\r\\n" split across reads completes; no timeout', async () => {
    const h = createHarness();
    const r = track(h.session.send(AT));
    await advance(h.clock, 10);
    h.deliver('O');
    await advance(h.clock, 500);
    expect(r.result.status).toBe('pending');
    h.deliver('K\r\n');
    await advance(h.clock, 10);
    expect(outcome(r.result)).toEqual({ command: 'AT', lines: [], final: { kind: 'ok' } });
    expect(h.clock.pendingTimers()).toEqual([]);
  });

  it('\\nNO CARRIER\\r\\n (Sierra) ends a dial command', async () => {
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      h.reply('ATD+27821231234;\r', '\nNO CARRIER\r\n');
      const r = track(h.session.send({ text: 'ATD+27821231234;', timeout: 'dial', finals: 'dial' }));
      await advance(h.clock, 100);
      return snapshot(h, [r]);
    });
    expect(snap.results).toEqual([{ error: 'AT_CALL_FAILED', reason: 'noCarrier', deviceCode: null }]);
  });

  it('+CLAC lines ending \\r\\r\\n (fixture huawei-e1752.json) are collected whole', async () => {
    const fx = JSON.parse(readFileSync(new URL('../../../test/fixtures/at-traces/huawei-e1752.json', import.meta.url), 'utf8')) as {
      exchanges: Array<{ tx: string; rx: Array<string | number> }>;
    };
    const clac = fx.exchanges.find((e) => e.tx === 'AT+CLAC\r')!;
    const stream = clac.rx.filter((x): x is string => typeof x === 'string').join('');
    const want = stream.split(/[\r\n]+/).filter((l) => l !== '' && l !== 'OK');
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      h.reply('AT+CLAC\r', stream);
      const r = track(h.session.send({ text: 'AT+CLAC', expect: 'any', timeout: 'normal' }));
      await advance(h.clock, 100);
      return snapshot(h, [r]);
    });
    expect(want.length).toBeGreaterThan(40);
    expect(snap.results).toEqual([{ command: 'AT+CLAC', lines: want, final: { kind: 'ok' } }]);
    expect(snap.events).toEqual([['commandSucceeded', 'AT+CLAC']]);
  });
});

describe('scenario 9: baud mismatch and garbage', () => {
  it('200 random bytes then \\r\\nOK\\r\\n: no exception, the command completes, garbage reported', async () => {
    const rnd = new SeededRandom(99);
    const noise = Uint8Array.from({ length: 200 }, () => Math.floor(rnd.next() * 256));
    const stream = Buffer.concat([noise, Buffer.from('\r\nOK\r\n', 'latin1')]).toString('latin1');
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      h.reply('AT\r', stream);
      const r = track(h.session.send(AT));
      await advance(h.clock, 100);
      return snapshot(h, [r]);
    });
    const discarded = snap.events.filter((e) => e[0] === 'discarded').length;
    expect(discarded).toBeGreaterThan(0);
    expect(snap.results).toEqual([{ command: 'AT', lines: [], final: { kind: 'ok' }, discarded }]);
    expect(snap.events.at(-1)).toEqual(['commandSucceeded', 'AT']);
  });

  it('garbage for 5 s: baudMismatch once per episode, the command times out, the resync probe pauses the queue', async () => {
    const h = createHarness('whole', { garbageThreshold: 5 });
    const r = track(h.session.send(AT));
    const rnd = new SeededRandom(5);
    for (let t = 0; t < 5_000; t += 100) {
      h.deliver(Uint8Array.from([...Array.from({ length: 30 }, () => 0x80 + Math.floor(rnd.next() * 128)), 0x0d, 0x0a]));
      await advance(h.clock, 100);
    }
    expect(h.events.filter((e) => e[0] === 'baudMismatch')).toEqual([['baudMismatch', 5]]);
    expect(h.events.filter((e) => e[0] === 'discarded')).toHaveLength(50);
    expect(outcome(r.result)).toEqual({ error: 'AT_TIMEOUT', reason: 'timeout', deviceCode: null });
    expect(h.session.isPaused).toBe(false); // no command queued yet: resync waits for one
    // A valid final ends the episode; new garbage starts a new one.
    h.deliver('\r\nOK\r\n');
    h.deliver(Uint8Array.from([0xff, 0xfe, 0x0d, 0x0a, 0x01, 0x0a, 0x02, 0x0a, 0x03, 0x0a, 0x04, 0x0a]));
    await advance(h.clock, 10);
    expect(h.events.filter((e) => e[0] === 'baudMismatch')).toEqual([['baudMismatch', 5], ['baudMismatch', 5]]);
    expect(h.clock.pendingTimers()).toEqual([]);
  });
});

describe('scenario 10: unknown URC storm', () => {
  it('commands complete on time; unknown URCs counted, never attached, never delaying a timeout', async () => {
    const h = createHarness();
    const storm = ['^BOOT:48175390,0,0,0,89', '+CGDMODIND:1', 'UNDER_VOLTAGE WARNING ', '*PSUTTZ: 2026,1,5,6,0,0,"+8",0', 'DST: 1'];
    let n = 0;
    const tick = () => {
      h.deliver(`\r\n^RSSI:13\r\n\r\n${storm[n++ % storm.length]}\r\n`);
      h.clock.setTimer('test.storm', 200, tick);
    };
    tick();
    h.reply('AT+CSQ\r', '\r\n+CGDMODIND:1\r\n+CSQ: 13,99\r\n^RSSI:13\r\nOK\r\n');
    const csq = track(h.session.send(CSQ));
    await advance(h.clock, 50);
    expect(outcome(csq.result)).toEqual({ command: 'AT+CSQ', lines: ['+CSQ: 13,99'], final: { kind: 'ok' } });
    const cops = track(h.session.send({ text: 'AT+COPS?', expect: ['+COPS:'], timeout: 'normal' }));
    const start = h.clock.now();
    await advance(h.clock, 9_999);
    expect(cops.result.status).toBe('pending');
    await advance(h.clock, 1);
    expect(outcome(cops.result)).toEqual({ error: 'AT_TIMEOUT', reason: 'timeout', deviceCode: null });
    expect(h.clock.now() - start).toBe(10_000);
    expect(h.session.unknownUrcCount).toBeGreaterThan(50);
    const urcs = h.events.filter((e) => e[0] === 'urc');
    expect(urcs).toContainEqual(['urc', 'UNDER_VOLTAGE WARNING ', [], false]);
    expect(urcs).toContainEqual(['urc', '^RSSI:13', [], true]);
    expect(h.logs.some((l) => l.msg === 'unknown URC' && l.level === 'debug')).toBe(true);
  });
});

describe('scenario 11: finals that are URCs elsewhere', () => {
  it('NO CARRIER during AT+CSQ is a URC; CSQ unaffected', async () => {
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      h.reply('AT+CSQ\r', '\r\nNO CARRIER\r\n\r\n+CSQ: 21,99\r\n\r\nOK\r\n');
      const r = track(h.session.send(CSQ));
      await advance(h.clock, 100);
      return snapshot(h, [r]);
    });
    expect(snap.results).toEqual([{ command: 'AT+CSQ', lines: ['+CSQ: 21,99'], final: { kind: 'ok' } }]);
    expect(snap.events).toEqual([['urc', 'NO CARRIER', [], true], ['commandSucceeded', 'AT+CSQ']]);
  });

  it('BUSY after ATD already returned OK is a URC; BUSY in reply to ATD fails it (busy)', async () => {
    const snap = await inAllModes(async (mode) => {
      const h = createHarness(mode);
      const DIAL: AtCommand = { text: 'ATD+27821231234;', timeout: 'dial', finals: 'dial' };
      h.reply('ATD+27821231234;\r', '\r\nOK\r\n');
      const a = track(h.session.send(DIAL));
      await advance(h.clock, 100);
      h.deliver('\r\nBUSY\r\n');
      await advance(h.clock, 100);
      h.reply('ATD+27821231234;\r', '\r\nBUSY\r\n');
      const b = track(h.session.send(DIAL));
      await advance(h.clock, 100);
      return snapshot(h, [a, b]);
    });
    expect(snap.results).toEqual([
      { command: 'ATD+27821231234;', lines: [], final: { kind: 'ok' } },
      { error: 'AT_CALL_FAILED', reason: 'busy', deviceCode: null },
    ]);
    expect(snap.events).toEqual([
      ['commandSucceeded', 'ATD+27821231234;'],
      ['urc', 'BUSY', [], true],
      ['commandFailed', 'ATD+27821231234;', 'busy'],
    ]);
  });

  it('a bare OK with nothing pending is a stray final, logged', async () => {
    const h = createHarness();
    h.deliver('\r\nOK\r\n');
    await advance(h.clock, 10);
    expect(h.events).toEqual([['strayFinal', 'OK']]);
    expect(h.logs.some((l) => l.msg === 'AT final result with no command waiting')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { AtCommand } from './AtCommand.ts';
import { isAtCommandError } from './AtCommandError.ts';
import { isResyncCommand } from './Job.ts';
import { ResyncMarkers } from './resyncMarker.ts';
import { type Route, routeLine } from './routeLine.ts';
import { advance, createHarness, type Harness, type Settled, SPLIT_MODES, splitName, TEST_URCS, track } from './testing.ts';

/**
 * The resync after a timeout (gsm-modems.md P8, issue #9): `AT`, then the
 * marker `ATS6=<v>S6?` whose answer `00v` cannot be an earlier command's,
 * then the quiet period. Late replies are dropped, never credited.
 */

const CLCC: AtCommand = { text: 'AT+CLCC', expect: ['+CLCC:'], timeout: 'quick', retryable: true, priority: 'urgent' };
const MARKER: AtCommand = { text: 'ATS6=3S6?', timeout: 'resync', marker: 3 };
const CALL = '+CLCC: 1,1,0,0,0,"+27821231234",145';

function outcome(s: Settled<unknown>): unknown {
  if (s.status === 'resolved') return s.value;
  if (s.status === 'rejected') return isAtCommandError(s.error) ? s.error.reason : String(s.error);
  return 'pending';
}

/** A modem that answers every command line `lateMs` after it was written, in order, while `late()` holds. */
function lateModem(h: Harness, lateMs: number, late: () => boolean): void {
  let releaseAt = 0;
  h.transport.onHostWrite((_, text) => {
    const cmd = text.replace(/\r$/, '');
    const marker = /^ATS6=(\d+)S6\?$/.exec(cmd);
    const answer = cmd === 'AT+CLCC' ? `\r\n${CALL}\r\n\r\nOK\r\n` : marker ? `\r\n${marker[1]!.padStart(3, '0')}\r\n\r\nOK\r\n` : '\r\nOK\r\n';
    const now = h.clock.now();
    const at = Math.max(late() ? now + lateMs : now, releaseAt);
    releaseAt = at;
    h.clock.setTimer('test.late', at - now, () => h.deliver(answer));
  });
}

describe('routeLine while a resync marker waits for its value', () => {
  const awaiting = { command: MARKER, bodyOwed: 0, urcOwed: 0, awaitingMarker: true };
  const ROWS: Array<[string, string, Route]> = [
    ['its value, 3 digits', '003', { kind: 'marker' }],
    ['its value without leading zeros', '3', { kind: 'marker' }],
    ['an earlier marker’s value is stale', '002', { kind: 'stale' }],
    ['a late OK is stale', 'OK', { kind: 'stale', result: { kind: 'ok' } }],
    ['a late ERROR is stale', 'ERROR', { kind: 'stale', result: { kind: 'error', text: 'ERROR' } }],
    ['a late answer line that is no URC is stale', '+CSQ: 20,99', { kind: 'stale' }],
    ['a known URC is still a URC (a real RING)', 'RING', { kind: 'urc', trailing: 0, known: true }],
    ['NO CARRIER is still a call-ended URC', 'NO CARRIER', { kind: 'urc', trailing: 0, known: true }],
    ['its echo is echo', 'ATS6=3S6?', { kind: 'echo' }],
  ];
  it.each(ROWS)('%s: %j', (_, line, want) => expect(routeLine(line, awaiting, TEST_URCS)).toEqual(want));

  it('after the value, OK is its final', () => {
    expect(routeLine('OK', { ...awaiting, awaitingMarker: false }, TEST_URCS)).toEqual({ kind: 'final', result: { kind: 'ok' } });
  });
});

describe('resync markers', () => {
  it('cycle through the register’s values, never starting at the V.250 default', () => {
    const m = new ResyncMarkers({ register: 6, min: 2, max: 4 });
    expect([1, 2, 3, 4].map(() => m.next().text)).toEqual(['ATS6=3S6?', 'ATS6=4S6?', 'ATS6=2S6?', 'ATS6=3S6?']);
    expect(m.next()).toMatchObject({ timeout: 'resync', marker: 4 });
  });

  it('are resync commands (the health layer acts when one times out), other S-register lines are not', () => {
    expect(['AT', 'ATS6=3S6?', 'ATS12=40S12?'].map(isResyncCommand)).toEqual([true, true, true]);
    expect(['ATS0=0', 'AT+CLCC', 'ATS6?'].map(isResyncCommand)).toEqual([false, false, false]);
  });
});

describe('issue #9: every reply 2.6 s late for 10 s, quick timeout 2 s', () => {
  it('no answer is credited to the wrong command: the retried AT+CLCC gets its own call list, never the AT’s bare OK', async () => {
    const runs: string[] = [];
    for (const mode of SPLIT_MODES) {
      const h = createHarness(mode, { answerMarkers: false });
      lateModem(h, 2_600, () => h.clock.now() < 10_000);
      const writes: Array<[number, string]> = [];
      h.transport.onHostWrite((_, t) => writes.push([h.clock.now(), t.trim()]));
      const r = track(h.session.send(CLCC));
      await advance(h.clock, 30_000);
      runs.push(JSON.stringify({ result: outcome(r.result), events: h.events, writes }));
      expect(outcome(r.result), splitName(mode)).toEqual({ command: 'AT+CLCC', lines: [CALL], final: { kind: 'ok' } });
      expect(h.clock.pendingTimers()).toEqual([]);
    }
    expect(new Set(runs).size).toBe(1);
    const { events, writes } = JSON.parse(runs[0]!) as { events: unknown[][]; writes: Array<[number, string]> };
    // The timed-out CLCC's late answer completes the probe AT (it only proves the modem is there); the
    // marker waits out the AT's own late OK and takes only its value.
    expect(writes.slice(0, 4)).toEqual([
      [0, 'AT+CLCC'],
      [2_000, 'AT'],
      [2_600, 'ATS6=3S6?'],
      [6_400, 'AT+CLCC'], // marker answered at 5 200, quiet 200 ms, then the retry back-off (1 s)
    ]);
    expect(events.slice(0, 6)).toEqual([
      ['commandFailed', 'AT+CLCC', 'timeout'],
      ['urc', CALL, [], false],
      ['commandSucceeded', 'AT'],
      ['strayFinal', 'OK'],
      ['commandSucceeded', 'ATS6=3S6?'],
      ['commandFailed', 'AT+CLCC', 'timeout'],
    ]);
    // No command ever succeeded with an empty CLCC list.
    expect(events.filter((e) => e[0] === 'commandSucceeded' && e[1] === 'AT+CLCC')).toHaveLength(1);
  });
});

describe('when the marker is not answered', () => {
  it('a marker that times out (AT answered, marker never) pauses the queue and fails as a resync command', async () => {
    const h = createHarness('whole', { answerMarkers: false });
    const a = track(h.session.send({ text: 'AT+COPS?', timeout: 'normal' }));
    const b = track(h.session.send(CLCC));
    h.reply('AT\r', '\r\nOK\r\n');
    await advance(h.clock, 10_000 + 5_000);
    expect(outcome(a.result)).toBe('timeout');
    expect(h.transport.writtenText).toBe('AT+COPS?\rAT\rATS6=3S6?\r');
    expect(h.events.filter((e) => e[0] === 'commandFailed')).toEqual([
      ['commandFailed', 'AT+COPS?', 'timeout'],
      ['commandFailed', 'ATS6=3S6?', 'timeout'],
    ]);
    expect(h.session.isPaused).toBe(true);
    expect(b.result.status).toBe('pending');
    // The health layer's probe runs AT and the marker again; then resume() lets CLCC go.
    h.reply('AT\r', '\r\nOK\r\n');
    h.reply('ATS6=4S6?\r', '\r\n004\r\n\r\nOK\r\n');
    h.reply('AT+CLCC\r', `\r\n${CALL}\r\n\r\nOK\r\n`);
    const ok = track(h.session.probe());
    await advance(h.clock, 500);
    expect(ok.result).toEqual({ status: 'resolved', value: true });
    h.session.resume();
    await advance(h.clock, 100);
    expect(outcome(b.result)).toEqual({ command: 'AT+CLCC', lines: [CALL], final: { kind: 'ok' } });
  });

  it('firmware that refuses the S-register (ERROR): a quiet period instead, and after two refusals no marker at all', async () => {
    const h = createHarness('whole', { answerMarkers: false });
    h.transport.onHostWrite((_, t) => {
      if (t === 'AT\r') h.deliver('\r\nOK\r\n');
      else if (t.startsWith('ATS6=')) h.deliver('\r\nERROR\r\n');
      else if (t === 'AT+CSQ\r') h.deliver('\r\n+CSQ: 9,99\r\n\r\nOK\r\n');
    });
    for (let i = 0; i < 3; i++) {
      track(h.session.send({ text: 'AT+COPS?', timeout: 'normal' })); // never answered: a timeout, then a resync
      const csq = track(h.session.send({ text: 'AT+CSQ', expect: ['+CSQ:'], timeout: 'quick' }));
      await advance(h.clock, 20_000);
      expect(outcome(csq.result), `round ${i}`).toMatchObject({ lines: ['+CSQ: 9,99'] });
    }
    expect(h.transport.writtenText).toBe(
      'AT+COPS?\rAT\rATS6=3S6?\rAT+CSQ\r' + 'AT+COPS?\rAT\rATS6=4S6?\rAT+CSQ\r' + 'AT+COPS?\rAT\rAT+CSQ\r',
    );
    expect(h.session.isPaused).toBe(false);
    expect(h.logs.filter((l) => l.msg === 'AT resync marker refused (ERROR, no value): falling back to a quiet period')).toHaveLength(2);
  });
});

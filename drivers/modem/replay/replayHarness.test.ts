import { describe, expect, it } from 'vitest';
import { AtLineDecoder } from '../framing/AtLineDecoder.ts';
import { latin1Encode } from '../framing/latin1.ts';
import type { AtCommand } from '../session/AtCommand.ts';
import { accountLines, expectedEnd } from './lineAccounting.ts';
import { commandForTx } from './replayCommand.ts';
import { replayCase, type ReplayRun, TappingDecoder, toSegments } from './replayHarness.ts';
import { splitModesFor } from './replayTally.ts';
import { type ReplayCase, urcSequenceCases } from './traceCases.ts';

/** The harness itself: command metadata, pauses on the virtual clock, and an accounting that does catch a loss. */

describe('commandForTx', () => {
  const rows: Array<[tx: string, cmd: AtCommand]> = [
    ['AT+CSQ\r', { text: 'AT+CSQ', expect: ['+CSQ:'], timeout: 'normal' }],
    ['AT+CPIN?\r', { text: 'AT+CPIN?', expect: ['+CPIN:'], timeout: 'normal' }],
    ['AT+CMGR=5\r', { text: 'AT+CMGR=5', expect: ['+CMGR:'], bodyLines: 1, timeout: 'normal' }],
    ['AT+CMGL=4\r', { text: 'AT+CMGL=4', expect: ['+CMGL:'], bodyLines: 1, timeout: 'normal' }],
    ['ATI\r', { text: 'ATI', expect: 'any', timeout: 'normal' }],
    ['ATI4"\r', { text: 'ATI4"', expect: 'any', timeout: 'normal' }],
    ['AT+CGMI\r', { text: 'AT+CGMI', expect: 'any', timeout: 'normal' }],
    ['AT+CGMM\r', { text: 'AT+CGMM', expect: 'any', timeout: 'normal' }],
    ['AT+CGMR\r', { text: 'AT+CGMR', expect: 'any', timeout: 'normal' }],
    ['AT+CGSN\r', { text: 'AT+CGSN', expect: 'any', timeout: 'normal' }],
    ['AT+CIMI\r', { text: 'AT+CIMI', expect: 'any', timeout: 'normal' }],
    ['AT+CLAC\r', { text: 'AT+CLAC', expect: 'any', timeout: 'normal' }],
    ['AT+ZPAS?\r', { text: 'AT+ZPAS?', expect: ['+ZPAS:', '+BEARTYPE:'], timeout: 'normal' }],
    ['AT^DTMF=1,5\r', { text: 'AT^DTMF=1,5', expect: ['^DTMF:'], timeout: 'normal' }],
    ['ATD0123456789;\r', { text: 'ATD0123456789;', timeout: 'dial', finals: 'dial' }],
    ['ATA\r', { text: 'ATA', timeout: 'call', finals: 'dial' }],
    ['AT\r', { text: 'AT', timeout: 'normal' }],
    ['ATE0\r', { text: 'ATE0', timeout: 'normal' }],
  ];
  it.each(rows)('%j', (tx, cmd) => expect(commandForTx(tx)).toEqual(cmd));
});

describe('toSegments', () => {
  it('joins the strings between pauses and places each burst at the summed pause (s → ms)', () => {
    expect(toSegments(['a', 'b', 0.2, 'c', 0.1, 0.1, 'd'])).toEqual([
      { atMs: 0, data: 'ab' },
      { atMs: 200, data: 'c' },
      { atMs: 400, data: 'd' },
    ]);
    expect(toSegments([0.1, '+CME ERROR: 30\r\n'])).toEqual([{ atMs: 100, data: '+CME ERROR: 30\r\n' }]);
  });
});

const synthetic = (tx: string, rx: ReplayCase['rx']): ReplayCase => ({ id: `synthetic ${tx.trimEnd()}`, file: 'synthetic', tx, rx, echoLines: 0 });

describe('replayCase on the FakeClock', () => {
  it('a recorded pause delays the next burst in virtual time (Huawei K3715 ^ORIG, 0.2 s, ^CONF), in every split', async () => {
    const c = urcSequenceCases('huawei-k3715.json').find((x) => x.id.endsWith('getCallInitNotification'));
    expect(c?.rx).toEqual(['^ORIG:1,0\r\n', 0.2, '^CONF:1\r\n']);
    for (const mode of splitModesFor(c!)) {
      const run = await replayCase(c!, mode);
      expect(run.urcs.map((u) => [u.line, u.atMs]), run.mode).toEqual([
        ['^ORIG:1,0', 0],
        ['^CONF:1', 200],
      ]);
    }
  });

  it('a line split across a pause is one line; the command completes when its final arrives', async () => {
    const run = await replayCase(synthetic('AT+CSQ\r', ['+CSQ: 20,', 0.5, '99\r\nOK\r\n']), 'bytes');
    expect(run.outcome).toEqual({ status: 'resolved', response: { command: 'AT+CSQ', lines: ['+CSQ: 20,99'], final: { kind: 'ok' } } });
    expect(run.settledAfterMs).toBe(500);
  });

  it('a pause longer than the timeout: timeout, the late OK is a stray, and the accounting reports the lost answer', async () => {
    const run = await replayCase(synthetic('AT+CSQ\r', ['+CSQ: 20,99\r\n', 11, 'OK\r\n']), 'whole');
    expect(run.outcome).toMatchObject({ status: 'rejected', reason: 'timeout', code: 'AT_TIMEOUT' });
    expect(run.settledAfterMs).toBe(10_000);
    expect(run.strays).toEqual(['OK']);
    expect(accountLines(run)).toMatchObject({ lost: ['+CSQ: 20,99'], stray: ['OK'], extra: [] });
    expect(run.pendingTimers).toEqual([]);
  });

  it('the DCE answers only the exact tx: a different write gets no answer (timeout, nothing decoded)', async () => {
    const run = await replayCase(synthetic('AT+CSQ\r', ['OK\r\n']), 'whole', { command: { text: 'AT+CREG?', timeout: 'quick' } });
    expect(run.written).toBe('AT+CREG?\r');
    expect(run.lines).toEqual([]);
    expect(run.outcome).toMatchObject({ status: 'rejected', reason: 'timeout' });
  });
});

describe('accountLines', () => {
  const base: ReplayRun = {
    mode: 'whole',
    command: { text: 'AT+CSQ', expect: ['+CSQ:'], timeout: 'quick' },
    outcome: { status: 'resolved', response: { command: 'AT+CSQ', lines: ['+CSQ: 1,2'], final: { kind: 'ok' } } },
    frames: [],
    lines: ['AT+CSQ', '+CSQ: 1,2', 'RING', 'OK'],
    urcs: [{ line: 'RING', trailing: [], known: true, atMs: 0 }],
    strays: [],
    events: [],
    written: 'AT+CSQ\r',
    settledAfterMs: 0,
    pendingTimers: [],
    violations: [],
  };

  it('puts each decoded line in exactly one place', () => {
    expect(accountLines(base)).toEqual({ echo: ['AT+CSQ'], response: ['+CSQ: 1,2'], final: ['OK'], urc: ['RING'], stray: [], lost: [], extra: [] });
  });

  it('a line the session dropped is lost; a line it reported twice is extra', () => {
    expect(accountLines({ ...base, urcs: [] }).lost).toEqual(['RING']);
    expect(accountLines({ ...base, urcs: [...base.urcs, ...base.urcs] }).extra).toEqual(['RING']);
  });

  it('a final the session claims but never decoded is extra', () => {
    expect(accountLines({ ...base, lines: ['+CSQ: 1,2', 'RING'] }).extra).toEqual(['<final {"kind":"ok"}>']);
  });
});

describe('expectedEnd (read from the trace, not the session)', () => {
  const cmd = (tx: string) => commandForTx(tx);
  it('the first final after the echo; call finals only for dial commands', () => {
    expect(expectedEnd(['AT+CSQ\n+CSQ: 1,2\nOK\n'], cmd('AT+CSQ\r'))).toEqual({ kind: 'resolved', final: { kind: 'ok' } });
    expect(expectedEnd(['COMMAND NOT SUPPORT\r\n'], cmd('AT+WIND?\r'))).toEqual({ kind: 'rejected', reason: 'error', final: { kind: 'error', text: 'COMMAND NOT SUPPORT' } });
    expect(expectedEnd(['+CME ERROR: 14\r\n'], cmd('AT+CSCA?\r'))).toMatchObject({ kind: 'rejected', reason: 'cme' });
    expect(expectedEnd(['NO CARRIER\r\n'], cmd('AT+CSQ\r'))).toEqual({ kind: 'noFinal' });
    expect(expectedEnd(['NO CARRIER\r\n'], cmd('ATD123;\r'))).toEqual({ kind: 'rejected', reason: 'noCarrier', final: { kind: 'noCarrier' } });
    expect(expectedEnd(['+CPIN: READY\r\n'], cmd('AT+CPIN?\r'))).toEqual({ kind: 'noFinal' });
  });
});

describe('TappingDecoder', () => {
  it('forwards expectPrompt to the real decoder and records every frame it returns', () => {
    const inner = new AtLineDecoder();
    const tap = new TappingDecoder(inner);
    tap.expectPrompt = true;
    expect(inner.expectPrompt).toBe(true);
    const out = tap.push(latin1Encode('> '));
    expect(out).toEqual([{ kind: 'prompt' }]);
    expect(tap.expectPrompt).toBe(false);
    tap.push(latin1Encode('+CMGS: 1\r\nOK\r\n'));
    expect(tap.frames).toEqual([{ kind: 'prompt' }, { kind: 'line', text: '+CMGS: 1' }, { kind: 'line', text: 'OK' }]);
  });
});

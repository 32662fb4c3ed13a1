/**
 * The E1 span as the core sees it (a TrunkPort), built from its config by
 * openE1Span, against libpri as the network on a PTY: calls offered with and
 * without caller ID, answered, a prompt and a digit, an agent reached on a
 * second channel and cross-connected, clearing from either side, a callback
 * dial that rings out.
 */
import { describe, expect, it } from 'vitest';
import { openE1Span, type OpenedE1Span } from '../../drivers/e1/openE1Span.ts';
import { e1Trunk } from '../../firmware/config/e1Schema.ts';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { silentLogger } from '../../gateway/core/Logger.ts';
import type { TrunkSignal } from '../../gateway/trunk/TrunkPort.ts';
import { SimDecoderBank } from '../../drivers/dtmf/SimDecoderBank.ts';
import { SimDs26521 } from '../../drivers/e1/framer/SimDs26521.ts';
import { cleanups, libpriOnPty, until } from './support.ts';
import { libpriMissing } from './libpri/libpriPeer.ts';

const missing = libpriMissing();
const onCleanup = cleanups();

describe.skipIf(missing !== null)('an E1 span trunk against libpri', () => {
  it('offers, answers, plays, hears a digit, connects an agent, clears both ways, and dials out', async () => {
    const { hostPath, peer } = await libpriOnPty('span', onCleanup);
    const clock = new SystemClock();
    onCleanup(() => clock.dispose());
    // One MT8870 for the whole span: a call holds it only while it may press keys.
    const dtmf = { q: ['GPIO5', 'GPIO6', 'GPIO13', 'GPIO19'], decoders: [{ std: 'GPIO26', toe: 'GPIO20' }] };
    const cfg = e1Trunk.parse({ id: 'e1a', type: 'e1', dchannel: { port: hostPath }, callingNumber: '2188776655', dtmf });
    const bank = new SimDecoderBank(cfg.dtmf!, clock);
    const span: OpenedE1Span = await openE1Span(cfg, { clock, logger: silentLogger, dtmfBus: bank });
    bank.onEdge = (line, rising, t) => span.dtmf!.edge(line, rising, t);
    span.board.onDecoderKey = (d, key) => bank.press(d, key as '1');
    onCleanup(() => span.close());
    const signals: TrunkSignal[] = [];
    span.trunk.setListener((s) => signals.push(s));
    const signal = <K extends TrunkSignal['kind']>(kind: K, match: (s: Extract<TrunkSignal, { kind: K }>) => boolean = () => true) =>
      until(`signal ${kind}`, () => signals.find((s): s is Extract<TrunkSignal, { kind: K }> => s.kind === kind && match(s as Extract<TrunkSignal, { kind: K }>)));

    await until('the span up with every channel in service', () => span.trunk.health().up && span.trunk.health().inServiceChannels === 30);
    expect(span.trunk.channels).toBe(30);

    peer.send('call 5 1111105 2222205 allowed 1');
    const offered = await signal('offered');
    expect(offered).toMatchObject({ channel: 5, callerId: { kind: 'number', number: '2222205' }, dialled: '1111105' });
    span.trunk.answer(offered.legId);
    await signal('answered', (s) => s.legId === offered.legId);
    await peer.waitFor((e) => e.ev === 'answer' && e.channel === 5);
    span.trunk.play(offered.legId, { id: 'welcome' });
    // The caller's key, heard by the decoder the board routed channel 5 to.
    expect(span.dtmf!.ownerOf(0)).toBe(offered.legId);
    expect(span.board.press(5, '1')).toBe(true);
    await signal('dtmf', (s) => s.legId === offered.legId && s.digit === '1');
    await signal('playDone', (s) => s.legId === offered.legId && !s.interrupted);
    expect(span.trunk.health().busyChannels).toBe(1);

    // The agent on the top channel: libpri rings it and answers; then the agent hangs up.
    span.trunk.connect(offered.legId, '09120000001', { ringTimeoutMs: 10_000 });
    const ring = await peer.waitFor((e) => e.ev === 'ring' && e.called === '09120000001');
    expect(ring).toMatchObject({ channel: 31, calling: '2188776655' });
    peer.send('answer 31');
    await signal('connectResult', (s) => s.legId === offered.legId && s.outcome === 'answered');
    expect(span.trunk.health().busyChannels).toBe(2);
    // Talking to the agent: the decoder is free for other calls.
    expect(span.dtmf!.ownerOf(0)).toBeNull();
    peer.send('hangup 31 16');
    await signal('bridgeEnded', (s) => s.legId === offered.legId && s.by === 'agent');
    // Back to the caller alone (the survey): a decoder again.
    expect(span.dtmf!.ownerOf(0)).toBe(offered.legId);
    span.board.press(5, '4');
    await signal('dtmf', (s) => s.legId === offered.legId && s.digit === '4');
    // The caller hangs up.
    peer.send('hangup 5 16');
    await signal('ended', (s) => s.legId === offered.legId && s.cause === 'remote');

    // A withheld caller, hung up by us.
    peer.send('call 6 1111105 2222206 restricted 1');
    const withheld = await signal('offered', (s) => s.channel === 6);
    expect(withheld.callerId).toEqual({ kind: 'withheld' });
    span.trunk.hangup(withheld.legId);
    await signal('ended', (s) => s.legId === withheld.legId && s.cause === 'local');
    await peer.waitFor((e) => e.ev === 'hangup_req' && e.channel === 6 && e.cause === 16);

    // A callback that nobody answers: no answer after the ring timeout, the channel freed.
    const legId = span.trunk.dial({ number: '09121234567', ringTimeoutMs: 1_500 });
    await peer.waitFor((e) => e.ev === 'ring' && e.called === '09121234567');
    await signal('dialResult', (s) => s.legId === legId && s.outcome === 'noAnswer');
    await until('every channel free', () => span.trunk.health().busyChannels === 0);
  }, 60_000);

  it('a framer alarm mid-call (DS26521 registers, simulated) ends the call as a line failure, then a RESTART brings the span back', async () => {
    const { hostPath, peer } = await libpriOnPty('span-alarm', onCleanup);
    const clock = new SystemClock();
    onCleanup(() => clock.dispose());
    const chip = new SimDs26521();
    // Short integration times so the test runs in real time; the defaults are 2.5 s and 10 s.
    const cfg = e1Trunk.parse({ id: 'e1b', type: 'e1', dchannel: { port: hostPath }, alarms: { pollMs: 50, raiseMs: 300, clearMs: 600 } });
    const span = await openE1Span(cfg, { clock, logger: silentLogger, framerAccess: chip.access() });
    onCleanup(() => span.close());
    const signals: TrunkSignal[] = [];
    span.trunk.setListener((s) => signals.push(s));
    await until('the span up', () => span.trunk.health().up && span.trunk.health().inServiceChannels === 30);

    peer.send('call 3 1111105 2222203 allowed 1');
    const offered = await until('offered', () => signals.find((s): s is Extract<TrunkSignal, { kind: 'offered' }> => s.kind === 'offered'));
    span.trunk.answer(offered.legId);
    await peer.waitFor((e) => e.ev === 'answer' && e.channel === 3);
    // A 100 ms LOS is a glitch: nothing happens.
    chip.set('los', true);
    await new Promise((r) => setTimeout(r, 100));
    chip.set('los', false);
    await new Promise((r) => setTimeout(r, 500));
    expect(signals.some((s) => s.kind === 'ended')).toBe(false);

    chip.set('los', true);
    await until('the call ended as a line failure', () => signals.find((s) => s.kind === 'ended' && s.legId === offered.legId && s.cause === 'lineFailed'));
    expect(span.trunk.health()).toMatchObject({ up: false, detail: 'LOS alarm', inServiceChannels: 0, busyChannels: 0 });
    expect(signals.some((s) => s.kind === 'health' && !s.health.up && s.health.detail === 'LOS alarm')).toBe(true);
    chip.set('los', false);
    // Cleared: our RESTART of every channel, which also ends libpri's copy of the call.
    await peer.waitFor((e) => e.ev === 'restart');
    await until('every channel back in service', () => span.trunk.health().up && span.trunk.health().inServiceChannels === 30);
    expect(span.alarms!.raised).toEqual([]);
    // And calls flow again.
    peer.send('call 4 1111105 2222204 allowed 1');
    await until('a new call offered', () => signals.find((s) => s.kind === 'offered' && s.channel === 4));
  }, 30_000);
});

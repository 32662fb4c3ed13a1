/**
 * The whole chain on an E1 span, end to end: the real daemon (`ccgate run`)
 * with libpri as the network on a PTY, and the MT8870 pool read through the
 * libgpiod backend from fake gpiod tools first on PATH (StD edges fed live,
 * Q1–Q4 driven while TOE is high). A caller goes through the IVR, the queue,
 * the agent and the survey by keys; another books a callback, which goes out
 * on free B-channels (the agent first, then the customer) once the agent is back.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../gateway/events.ts';
import { codeOfKey, type DtmfKey } from '../../drivers/dtmf/mt8870Code.ts';
import { killAll, until } from '../e2e/helpers.ts';
import { fakeGpiod } from '../gpio/fakeGpiod.ts';
import { decodeWithTshark, tsharkMissing } from '../support/tshark.ts';
import { startE1Daemon } from './e1Daemon.ts';
import { cleanups } from './support.ts';
import { libpriMissing } from './libpri/libpriPeer.ts';

const missing = libpriMissing();
// Cleanups run in reverse: the daemon is stopped (its GPIO tools with it) before anything left is killed.
const onCleanup = cleanups();
beforeEach(() => onCleanup(() => killAll()));

const Q = ['GPIO5', 'GPIO6', 'GPIO13', 'GPIO19'];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(missing !== null)('an E1 caller end to end', () => {
  it('IVR, queue, agent and survey by MT8870 keys; a callback out on free B-channels', async () => {
    const gpio = fakeGpiod({ version: 2, lines: Object.fromEntries([...Q, 'GPIO26', 'GPIO20'].map((l) => [l, ['gpiochip0', Number(l.slice(4))]])), runs: [{ edges: [], exit: null, live: true }] });
    onCleanup(() => gpio.remove());
    /** The caller on the decoder's channel presses `key`: Q1–Q4 carry its code while TOE is high, StD pulses 80 ms. */
    const press = async (key: DtmfKey): Promise<void> => {
      const code = codeOfKey(key);
      gpio.drive({ GPIO20: Object.fromEntries(Q.map((l, i) => [l, (code >> i) & 1])) });
      gpio.edge('GPIO26', true);
      await sleep(80);
      gpio.edge('GPIO26', false);
    };
    const { peer, api } = await startE1Daemon({
      name: 'e1e2e',
      site: [
        'ivr:',
        '  entry: main',
        '  menus:',
        '    main: {prompt: main-menu, options: {1: {queue: flights}}}',
        'queues:',
        '  flights: {name: Flights, announce: {everyMs: 0}, callback: {offerAtPosition: 1}, survey: {enabled: true}}',
        "agents: [{id: a1, name: Ali, endpoint: '09120000001', queues: [flights]}]",
      ],
      // The fake tools are node processes, far slower to start than the C ones: a longer settle.
      span: [`dtmf: {backend: libgpiod, q: [${Q.join(', ')}], decoders: [{std: GPIO26, toe: GPIO20}], settleMs: 400}`],
      env: { PATH: gpio.env.PATH!, FAKE_GPIOD_VERSION: '2', FAKE_GPIOD_DIR: gpio.dir },
      apiTimeoutMs: 3_000,
      onCleanup,
    });
    await until('the span up', () => api.snapshot(), (s) => s.trunks[0]?.up === true && s.trunks[0].inServiceChannels === 30, 15_000);
    const events: StoredEvent[] = [];
    const stream = new AbortController();
    onCleanup(() => stream.abort());
    void api.events((ev) => void events.push(ev), stream.signal).catch(() => {});
    const seen = (what: string, match: (e: StoredEvent) => boolean, ms = 10_000) => until(what, async () => events, (l) => l.some(match), ms);
    await api.agentLogin('a1');
    await sleep(200);

    // 1. IVR → queue → agent → survey, every choice a key read from the MT8870.
    peer.send('call 5 2188770000 09125550001 allowed 1');
    await peer.waitFor((e) => e.ev === 'answer' && e.channel === 5, 10_000);
    await seen('the main menu', (e) => e.type === 'ivrMenuEntered');
    await press('1');
    const ring = await peer.waitFor((e) => e.ev === 'ring' && e.called === '09120000001', 15_000);
    expect(ring.channel).toBe(31);
    peer.send(`answer ${ring.channel}`);
    await until('the caller with the agent', () => api.snapshot(), (s) => s.trunks[0]?.busyChannels === 2, 10_000);
    await sleep(300);
    peer.send(`hangup ${ring.channel} 16`);
    await seen('the survey offered', (e) => e.type === 'surveyOffered');
    await sleep(300);
    await press('5');
    await seen('the survey answered', (e) => e.type === 'surveyAnswered' && e.score === 5);
    await until('the call over', () => api.snapshot(), (s) => s.calls.length === 0, 15_000);
    await until('every channel free', () => api.snapshot(), (s) => s.trunks[0]?.busyChannels === 0, 15_000);

    // 2. The agent away: a caller keeps their place by callback, and is called back on free B-channels.
    await api.agentPause('a1', 'break');
    peer.send('call 7 2188770000 09125550002 allowed 1');
    await peer.waitFor((e) => e.ev === 'answer' && e.channel === 7, 10_000);
    await seen('the main menu again', (e) => e.type === 'ivrMenuEntered' && (e as { callId: string }).callId !== events.find((x) => x.type === 'ivrMenuEntered')!.callId);
    await press('1');
    await sleep(1_500);
    await press('1');
    await seen('the callback booked', (e) => e.type === 'callbackRequested' && e.number === '09125550002');
    peer.send('hangup 7 16');
    await until('the caller gone', () => api.snapshot(), (s) => s.trunks[0]?.busyChannels === 0, 10_000);
    await api.agentUnpause('a1');
    const agentRing = await peer.waitFor((e) => e.ev === 'ring' && e.called === '09120000001' && e !== ring, 20_000);
    peer.send(`answer ${agentRing.channel}`);
    const customerRing = await peer.waitFor((e) => e.ev === 'ring' && e.called === '09125550002', 20_000);
    expect([agentRing.channel, customerRing.channel].every((c) => c !== undefined && c !== 16 && c >= 17)).toBe(true);
    expect(customerRing.channel).not.toBe(agentRing.channel);
    expect(customerRing.calling).toBe('2188776655');
    peer.send(`answer ${customerRing.channel}`);
    await seen('the callback connected', (e) => e.type === 'callbackConnected');

    // Every frame the daemon sent libpri, read by Wireshark: nothing malformed, the whole call flow there.
    if (tsharkMissing() === null) {
      const rows = decodeWithTshark(peer.frames('rx'), ['q931.message_type']);
      expect(rows.filter((t) => t['_ws.malformed'] !== undefined)).toEqual([]);
      const types = new Set(rows.map((t) => t['q931.message_type']).filter(Boolean));
      // RESTART, CALL PROCEEDING, CONNECT, DISCONNECT, SETUP, CONNECT ACKNOWLEDGE
      for (const t of ['0x46', '0x02', '0x07', '0x45', '0x05', '0x0f']) expect(types).toContain(t);
    }
  }, 120_000);
});

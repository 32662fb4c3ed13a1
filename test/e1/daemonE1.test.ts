/**
 * The real daemon (`ccgate run --config FILE`) with an E1 span of type e1 on
 * a PTY, libpri as the network: the span comes up with every channel in
 * service, a call is answered by the core and runs its IVR, a call to the
 * hotels' DID starts in their menu, and `ccgate status` shows the span.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { killAll, until } from '../e2e/helpers.ts';
import { startE1Daemon } from './e1Daemon.ts';
import { cleanups } from './support.ts';
import { libpriMissing } from './libpri/libpriPeer.ts';

const missing = libpriMissing();
// Cleanups run in reverse: the daemon is stopped (its GPIO tools with it) before anything left is killed.
const onCleanup = cleanups();
beforeEach(() => onCleanup(() => killAll()));

describe.skipIf(missing !== null)('the daemon on an E1 span', () => {
  it('answers libpri’s calls through the IVR, by DID, and shows the span in status', async () => {
    const { peer, api } = await startE1Daemon({
      name: 'e1d',
      site: [
        'ivr:',
        '  entry: main',
        "  entryByNumber: {'4455': hotels-line}",
        '  menus:',
        '    main: {prompt: main-menu, options: {1: {queue: flights}}}',
        '    hotels-line: {prompt: hotels-menu, options: {1: {queue: hotels}}}',
        'queues: {flights: {name: Flights}, hotels: {name: Hotels}}',
        "agents: [{id: a1, name: Ali, endpoint: '09120000001', queues: [flights, hotels]}]",
      ],
      onCleanup,
    });
    const span = await until('the span up', () => api.snapshot(), (s) => s.trunks[0]?.up === true && s.trunks[0].inServiceChannels === 30, 15_000);
    expect(span.trunks[0]).toMatchObject({ id: 'e1a', channels: 30, busyChannels: 0 });

    const menus: string[] = [];
    const stream = new AbortController();
    onCleanup(() => stream.abort());
    void api.events((ev) => {
      if (ev.type === 'ivrMenuEntered') menus.push(ev.menu);
    }, stream.signal).catch(() => {});
    await new Promise((r) => setTimeout(r, 200));
    peer.send('call 5 2188770000 09125550001 allowed 1');
    await peer.waitFor((e) => e.ev === 'answer' && e.channel === 5, 10_000);
    peer.send('call 6 2188774455 09125550002 allowed 1');
    await peer.waitFor((e) => e.ev === 'answer' && e.channel === 6, 10_000);
    const busy = await until('two calls in the IVR', () => api.snapshot(), (s) => s.trunks[0]?.busyChannels === 2, 5_000);
    expect(busy.calls.map((c) => c.number).sort()).toEqual(['09125550001', '09125550002']);
    await until('both menus entered', async () => menus, (m) => m.length === 2, 5_000);
    expect([...menus].sort()).toEqual(['hotels-line', 'main']);

    // The callers hang up: the core ends both calls and every channel is free again.
    peer.send('hangup 5 16');
    peer.send('hangup 6 16');
    await until('both calls over', () => api.snapshot(), (s) => s.trunks[0]?.busyChannels === 0 && s.calls.length === 0, 10_000);
  }, 60_000);
});

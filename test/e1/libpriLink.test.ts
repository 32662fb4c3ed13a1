/**
 * Our D-channel stack (async HDLC + Q.921 LAPD, user side) against Debian's
 * libpri as the network, through the real `serialport` binding on a
 * pseudo-terminal pair: the link comes up, Q.931 messages arrive in order,
 * garbage on the line is survived, and a link that goes silent is detected
 * and re-established.
 */
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { Lapd } from '../../drivers/e1/lapd/Lapd.ts';
import { SerialHdlcTransport } from '../../drivers/e1/transport/SerialHdlcTransport.ts';
import { SerialTransport } from '../../drivers/serial/SerialTransport.ts';
import { decodeWithTshark, tsharkMissing } from '../support/tshark.ts';
import { libpriMissing } from './libpri/libpriPeer.ts';
import { cleanups, libpriOnPty } from './support.ts';

const missing = libpriMissing();
if (missing) console.warn(`skipping the libpri link tests: ${missing}`);

const onCleanup = cleanups();

async function rig(lapdParams: ConstructorParameters<typeof Lapd>[0]['params'] = {}) {
  const { hostPath, peer } = await libpriOnPty('dchan', onCleanup);
  const clock = new SystemClock();
  onCleanup(() => clock.dispose());
  const serial = new SerialTransport({ path: hostPath });
  const dchan = new SerialHdlcTransport(serial);
  await dchan.open();
  onCleanup(() => dchan.close());
  const lapd = new Lapd({ clock, send: (b) => void dchan.send(b).catch(() => {}), params: lapdParams });
  dchan.on('frame', (f) => lapd.receive(f));
  const infos: Uint8Array[] = [];
  const events: string[] = [];
  lapd.on('info', (b) => infos.push(b));
  lapd.on('linkUp', () => events.push('up'));
  lapd.on('linkDown', (r) => events.push(`down:${r}`));
  lapd.on('linkReset', (by) => events.push(`reset:${by}`));
  onCleanup(() => lapd.halt());
  const until = async (what: string, ok: () => boolean, ms = 10_000): Promise<void> => {
    const end = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; events ${events.join(',')}; libpri: ${peer.events.filter((e) => e.ev !== 'frame').map((e) => e.ev).join(',')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { peer, lapd, dchan, infos, events, until };
}

describe.skipIf(missing !== null)('the D-channel against libpri (network side, EuroISDN E1)', () => {
  it('comes up, carries libpri’s SETUP and RESTART in order, and survives garbage on the line', async () => {
    const r = await rig();
    r.lapd.start();
    await r.until('the link up on both sides', () => r.lapd.isUp && r.peer.events.some((e) => e.ev === 'dchan_up'));
    expect(r.events[0]).toBe('up');

    r.peer.send('call 5 1111105 2222205 allowed 1');
    await r.until('the SETUP', () => r.infos.length >= 1);
    const setup = r.infos[0]!;
    // Q.931, 2-octet call reference, flag 0 (libpri allocated it), SETUP.
    expect([setup[0], setup[1], setup[2]! & 0x80, setup[4]]).toEqual([0x08, 0x02, 0x00, 0x05]);
    const hex = [...setup].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    expect(hex).toContain('18 03 a9 83 85');
    expect(hex).toContain('31 31 31 31 31 30 35');

    r.peer.send('garbage');
    // libpri's pri_restart (all interfaces) sends nothing in this set-up; one channel is restarted with pri_reset.
    r.peer.send('restart 7');
    await r.until('the RESTART', () => r.infos.some((b) => b[4] === 0x46));
    const restart = r.infos.find((b) => b[4] === 0x46)!;
    // Global call reference, RESTART, channel 7 exclusive, restart indicator "indicated channels".
    expect([...restart]).toEqual([0x08, 0x02, 0x00, 0x00, 0x46, 0x18, 0x03, 0xa9, 0x83, 0x87, 0x79, 0x01, 0x80]);
    expect(r.dchan.counters.garbageBytes + r.dchan.counters.runts + r.dchan.counters.fcsErrors).toBeGreaterThan(0);
    expect(r.lapd.isUp).toBe(true);
    expect(r.lapd.counters.iRx).toBeGreaterThanOrEqual(2);
    // libpri got our acknowledgements: it never had to poll us into retransmitting.
    expect(r.peer.events.some((e) => e.ev === 'dchan_down')).toBe(false);
    // Every frame we sent, as libpri received it, read by Wireshark: SAPI 0, TEI 0, nothing malformed.
    if (tsharkMissing() === null) {
      const ours = r.peer.frames('rx');
      expect(ours.length).toBeGreaterThan(2);
      for (const t of decodeWithTshark(ours, ['lapd.sapi', 'lapd.tei'])) {
        expect(t).toMatchObject({ 'lapd.sapi': '0', 'lapd.tei': '0' });
        expect(t['_ws.malformed']).toBeUndefined();
      }
    }
  }, 30_000);

  it('a far end that goes silent is found by T203 and T200 and the link is re-established when it is back', async () => {
    const r = await rig({ t203Ms: 1_000 });
    r.lapd.start();
    await r.until('the link up', () => r.lapd.isUp);
    r.peer.send('drop 6000');
    await r.until('our side re-establishing', () => r.events.some((e) => e === 'reset:us' || e.startsWith('down:')), 10_000);
    await r.until('the link up again', () => r.lapd.isUp && r.events.filter((e) => e === 'up').length >= 2, 20_000);
    expect(r.lapd.counters.t200Expiries).toBeGreaterThanOrEqual(3);
  }, 40_000);
});

import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { addWhiteNoise, dtmf, keySequence, pairPower, render, seeded, silence, toS16le } from '../audio/dtmfTones.ts';
import { PcmStreamAudio } from '../audio/PcmStreamAudio.ts';
import { PromptCatalog } from '../audio/PromptCatalog.ts';
import { cid, clip, entry, ring, setup } from '../call/testSupport.ts';
import { PROFILES } from '../profiles/detect.ts';
import { PtyPair } from '../../serial/PtyPair.ts';
import { SerialTransport } from '../../serial/SerialTransport.ts';
import { InBandDtmf } from './InBandDtmf.ts';

/**
 * The receive path end to end over a socat PTY pair (STYLE §29): the "modem"
 * writes the caller's audio (DTMF "123#") into its end of the audio tty; the
 * host side is the real PcmStreamAudio on the real serialport binding, feeding
 * InBandDtmf, feeding a CallTracker with a connected call. No prompt plays, so
 * no timers run: a FakeClock is enough, and the test takes as long as the I/O.
 */
describe('in-band DTMF over a real PTY', () => {
  let pair: PtyPair | null = null;
  let modemSide: SerialTransport | null = null;
  afterEach(async () => {
    await modemSide?.close();
    modemSide = null;
    await pair?.close();
    pair = null;
  });

  async function rig() {
    pair = await PtyPair.open({ name: 'audio' });
    modemSide = new SerialTransport({ path: pair.devicePath });
    await modemSide.open();
    const t = setup();
    t.tracker.onUrc(ring());
    t.tracker.onUrc(clip(cid('+27821231234')));
    t.tracker.answered('m1-1');
    t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234')]);
    const digits: string[] = [];
    t.tracker.on('dtmf', (e) => digits.push(e.digit));
    const inBand = new InBandDtmf({ calls: t.tracker, logger: capturingLogger().logger });
    const hostPath = pair.hostPath;
    const audio = new PcmStreamAudio({
      openTransport: () => new SerialTransport({ path: hostPath }),
      dir: '/unused',
      commands: 'huawei',
      send: async () => ({ lines: [] }),
      catalog: new PromptCatalog(),
      clock: new FakeClock(),
      logger: capturingLogger().logger,
      onPcm: inBand.sinkFor(PROFILES.huawei),
    });
    await audio.start(1);
    return { audio, digits, modem: modemSide };
  }

  const caller = toS16le(render(keySequence('123#', 80, 60), seeded(21)));

  it('"123#" written as 20 ms frames (320 bytes) comes out as the digits 1 2 3 #, in order', async () => {
    const { audio, digits, modem } = await rig();
    for (let off = 0; off < caller.length; off += 320) await modem.write(caller.subarray(off, off + 320));
    await expect.poll(() => digits.join(''), { timeout: 3_000 }).toBe('123#');
    await audio.end();
  });

  it('a long press with a 20 ms dropout in noise stays one digit; a 60 ms pause still separates (issue #9b)', async () => {
    const { audio, digits, modem } = await rig();
    // Three callers' audio at +6 dB SNR, each: "5" held 400 ms with a 20 ms dropout, 60 ms pause, "5" again.
    // Seeds picked where ending a press on noise-spoilt windows read "555".
    for (const seed of [26, 29, 48]) {
      const press = [silence(60), dtmf('5', 190), silence(20), dtmf('5', 190), silence(60), dtmf('5', 100), silence(200)];
      const pcm = toS16le(addWhiteNoise(render(press, seeded(seed)), pairPower(), 6, seeded(seed + 500)));
      for (let off = 0; off < pcm.length; off += 320) await modem.write(pcm.subarray(off, off + 320));
    }
    // A clean "#" last: once it is out, everything before it has been read.
    const end = toS16le(render(keySequence('#', 80, 60)));
    for (let off = 0; off < end.length; off += 320) await modem.write(end.subarray(off, off + 320));
    await expect.poll(() => digits.at(-1), { timeout: 3_000 }).toBe('#');
    expect(digits.join('')).toBe('555555#');
    await audio.end();
  });

  it('odd-sized writes (317 bytes: samples split across reads) give the same digits', async () => {
    const { audio, digits, modem } = await rig();
    for (let off = 0; off < caller.length; off += 317) await modem.write(caller.subarray(off, off + 317));
    await expect.poll(() => digits.join(''), { timeout: 3_000 }).toBe('123#');
    await audio.end();
  });
});

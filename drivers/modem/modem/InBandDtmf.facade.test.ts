import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import type { TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import { keySequence, render, seeded, toS16le } from '../audio/dtmfTones.ts';
import { GsmModem } from '../GsmModem.ts';
import type { Family } from '../profiles/ModemProfile.ts';
import { advance, flush } from '../session/testing.ts';
import { ScriptedDce } from '../testing/ScriptedDce.ts';
import { LoopbackTransport } from '../transport/LoopbackTransport.ts';
import { ModemTrunk } from '../trunk/ModemTrunk.ts';

/**
 * The whole façade in virtual time: a scripted modem of `family` on the AT
 * tty, a second loopback as its PCM audio tty, the trunk answering a call; the
 * "modem" then plays the caller's DTMF into the audio tty.
 */
async function callWithAudio(family: Family) {
  const clock = new FakeClock(0);
  const at = new LoopbackTransport();
  const audioTty = new LoopbackTransport();
  const { logger } = capturingLogger('debug');
  const dce = new ScriptedDce({ transport: at, clock, mode: 'whole', family, echo: false });
  const modem = new GsmModem({
    id: 'gsm1', transport: at, clock, logger, family: 'auto',
    audio: { kind: 'pcm', promptDir: '/nonexistent', openPcmPort: () => audioTty },
  });
  const trunk = new ModemTrunk({ id: 'gsm1', line: modem, clock, logger, connect: 'conference' });
  const signals: TrunkSignal[] = [];
  trunk.setListener((s) => signals.push(s));
  await modem.start();
  await flush();
  await advance(clock, 1_000);
  expect(modem.family).toBe(family);
  dce.addIncoming('+27821231234');
  dce.send('\r\nRING\r\n\r\n+CLIP: "+27821231234",145,,,,0\r\n');
  await advance(clock, 100);
  const offered = signals.find((s) => s.kind === 'offered');
  if (offered?.kind !== 'offered') throw new Error('no call offered');
  trunk.answer(offered.legId);
  await advance(clock, 100);
  expect(audioTty.isOpen).toBe(true); // the trunk started the audio path: the tty is open for the call
  const bytes = toS16le(render(keySequence('42*', 80, 60), seeded(5)));
  for (let off = 0; off < bytes.length; off += 320) audioTty.deviceWrite(bytes.subarray(off, off + 320));
  await advance(clock, 100);
  const digits = signals.flatMap((s) => (s.kind === 'dtmf' ? [s.digit] : []));
  await modem.close();
  return { digits, audioTty };
}

describe('GsmModem: in-band DTMF on the PCM audio tty', () => {
  it('a Huawei (no DTMF URC) reports the caller\'s tones as DTMF digits of the call', async () => {
    const { digits, audioTty } = await callWithAudio('huawei');
    expect(digits).toEqual(['4', '2', '*']);
    expect(audioTty.isOpen).toBe(false);
  });

  it('a SIM7600 (DTMF by URC) does not decode its audio: its own +RXDTMF stays the only source', async () => {
    const { digits } = await callWithAudio('sim7600');
    expect(digits).toEqual([]);
  });
});

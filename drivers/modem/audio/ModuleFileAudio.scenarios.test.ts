import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { GsmModem } from '../GsmModem.ts';
import { advance, flush, type SplitMode } from '../session/testing.ts';
import { inEverySplit } from '../testing/modemRig.ts';
import { ScriptedDce } from '../testing/ScriptedDce.ts';
import { LoopbackTransport } from '../transport/LoopbackTransport.ts';
import type { ModuleFileFamily } from './ModuleFileAudio.ts';

/**
 * Issue #9a at the façade, in virtual time: module playback on a scripted
 * modem of each family whose done URC for a stopped clip comes late, after
 * the next clip's play command was answered. That URC must not end the next
 * clip; the next clip's own done URC must. Run whole, byte by byte and
 * randomly split.
 */
const DIALECT: Record<ModuleFileFamily, { play: RegExp; stop: RegExp; done: string }> = {
  sim800: { play: /^AT\+CREC=4,/, stop: /^AT\+CREC=5$/, done: '\r\n+CREC: 0\r\n' },
  sim7600: { play: /^AT\+CCMXPLAY=/, stop: /^AT\+CCMXSTOP$/, done: '\r\n+AUDIOSTATE: audio play stop\r\n' },
  quectel: { play: /^AT\+QPSND=1,/, stop: /^AT\+QPSND=0$/, done: '\r\n+QPSND: 0\r\n' },
};

/** Length of every clip as the scripted module plays it, ms. */
const CLIP_MS = 1_500;
/** How long after the next clip's OK the stopped clip's done URC arrives, ms. */
const LATE_MS = 300;

async function scenario(family: ModuleFileFamily, mode: SplitMode) {
  const clock = new FakeClock(0);
  const transport = new LoopbackTransport();
  const { logger, records } = capturingLogger('debug');
  const dce = new ScriptedDce({ transport, clock, mode, family });
  const modem = new GsmModem({ id: 'gsm1', transport, clock, logger, family: 'auto', audio: { kind: 'module', promptDir: '/nonexistent' } });
  const d = DIALECT[family];
  // The module: a clip plays CLIP_MS then reports done; a stopped clip reports its end late,
  // LATE_MS after the next play command's OK (and a playing clip's timer is cancelled by the stop).
  let playing: { stop(): void } | null = null;
  let owesLateDone = false;
  dce.defineBehavior((cmd) => {
    if (d.stop.test(cmd)) {
      playing?.stop();
      playing = null;
      owesLateDone = true;
      return '\r\nOK\r\n';
    }
    if (!d.play.test(cmd)) return undefined;
    if (owesLateDone) dce.sendAfter(LATE_MS, d.done);
    owesLateDone = false;
    const t = clock.setTimer('dce.clip', CLIP_MS, () => dce.send(d.done));
    playing = { stop: () => t.clear() };
    return '\r\nOK\r\n';
  });
  await modem.start();
  await flush();
  await advance(clock, 1_000);
  expect(modem.family).toBe(family);

  // Prompt A: the caller barges in 500 ms into it, and the IVR starts prompt B in the same turn
  // (ModemTrunk aborts the playing prompt and calls play again). When does B end?
  const barge = new AbortController();
  const a = modem.play({ id: 'welcome' }, barge.signal);
  await advance(clock, 500);
  barge.abort();
  const bStart = clock.now();
  let bEnd: number | null = null;
  void modem.play({ id: 'menu' }, new AbortController().signal).then(() => (bEnd = clock.now()));
  await advance(clock, 3_000);
  await a;
  await modem.close();
  return {
    bEndedAfter: bEnd === null ? null : bEnd - bStart,
    commands: dce.received.flatMap((c) => (d.play.test(c) ? ['play'] : d.stop.test(c) ? ['stop'] : [])),
    swallowed: records.filter((r) => r.msg === 'playback-done of a stopped clip: not the current one').map((r) => r['clip']),
  };
}

describe.each(['sim800', 'sim7600', 'quectel'] as const)('%s: a stopped clip\'s late done URC (issue #9a)', (family) => {
  it('does not end the next clip; the next clip ends on its own done URC', async () => {
    const out = await inEverySplit((mode) => scenario(family, mode));
    // Not at LATE_MS (the stopped clip's URC), but when the module finished the clip.
    expect(out.bEndedAfter).toBeGreaterThanOrEqual(CLIP_MS);
    expect(out.bEndedAfter).toBeLessThan(CLIP_MS + 100);
    expect(out.commands).toEqual(['play', 'stop', 'play']); // A's stop before B's play; B never stopped
    expect(out.swallowed).toEqual(['welcome']);
  });
});

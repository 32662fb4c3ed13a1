import { describe, expect, it } from 'vitest';
import { answeredCall, callSignals, createRig, inEverySplit, observed } from '../testing/modemRig.ts';

/**
 * gsm-modems.md §10 scenario 15 (P12) at the façade: the far end hangs up and
 * the modem says nothing (SIM7600 never sends `^DSCI …,6`). AT+CLCC is the
 * truth: the empty answer of the next poll releases the call.
 */

/** Timers that belong to a call: tracker polls and grace, trunk ring timers, prompt playback. */
const CALL_TIMERS = ['clccPoll', 'clipGrace', 'modem-ring', 'modem-connect-ring', 'modem.audio.silentClip'];

/** Answer a call, let it run `talkMs`, start a prompt, then the far end hangs up silently. */
async function silentHangup(mode: Parameters<typeof createRig>[0], talkMs: number) {
  const r = createRig(mode);
  await r.start();
  const { legId, index } = await answeredCall(r);
  await r.advance(talkMs);
  r.trunk.play(legId, { id: 'welcome' }, { bargeIn: true }); // a 2 s prompt, silently timed
  await r.advance(300);
  const timersDuringCall = r.clock.pendingTimers().filter((n) => CALL_TIMERS.includes(n));
  const hungUpAt = r.clock.now();
  r.dce.remoteHangup(index); // and not a byte about it
  await r.advance(2_500);
  const endedAt = r.signals.find(([, s]) => s.kind === 'ended')?.[0];
  // A digit the modem still reports after the end reaches nobody.
  r.dce.send('\r\n+DTMF: 5\r\n');
  await r.advance(5_000);
  return {
    calls: callSignals(r),
    latency: endedAt === undefined ? null : endedAt - hungUpAt,
    timersDuringCall,
    timersAfter: r.clock.pendingTimers().filter((n) => CALL_TIMERS.includes(n)),
    tracked: r.modem.calls.calls().length,
    busy: r.trunk.health().busyChannels,
    obs: observed(r),
  };
}

describe('scenario 15: lost termination URC', () => {
  it.each([
    ['after a few CLCC polls listed the call', 5_000],
    ['right after the answer, before any CLCC listed it', 0],
  ])('hang-up %s: the next empty AT+CLCC (≤ 2 s) ends the call remote; prompt, DTMF and timers stop', async (_when, talkMs) => {
    const out = await inEverySplit((mode) => silentHangup(mode, talkMs));
    expect(out.timersDuringCall).toEqual(expect.arrayContaining(['clccPoll', 'modem.audio.silentClip']));
    // No playDone and no digit after the end: `ended` is the leg's last signal, the prompt stops silently.
    expect(out.calls).toEqual(['offered:+27821231234', 'answered', 'ended:remote']);
    expect(out.latency).not.toBeNull();
    expect(out.latency!).toBeLessThanOrEqual(2_000);
    expect(out.timersAfter).toEqual([]);
    expect(out.tracked).toBe(0);
    expect(out.busy).toBe(0);
  });
});

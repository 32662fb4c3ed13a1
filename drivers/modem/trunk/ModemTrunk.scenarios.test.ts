import { describe, expect, it } from 'vitest';
import { noise } from '../sim/misbehaviour.ts';
import type { Family } from '../profiles/ModemProfile.ts';
import { answeredCall, callSignals, createRig, inEverySplit, observed, offeredLegs, type Rig } from '../testing/modemRig.ts';
import { MODEM_TRUNK_TIMINGS } from './trunkTimings.ts';

/**
 * Issue #9 items 2 and 4 through the whole driver (GsmModem + ModemTrunk on
 * a ScriptedDce, FakeClock): line noise mid-call, a drop that outlasts the
 * grace, and an ATA stuck behind a paused queue.
 */

/** One garbage line: seeded noise (NULs, invalid UTF-8) ended by CR LF, as the fake SIM800 of the issue sent. */
function garbageLine(seed: number): Uint8Array {
  const out = new Uint8Array(32);
  out.set(noise(30, seed));
  out.set([0x0d, 0x0a], 30);
  return out;
}

/** What a 9600-baud answer looks like read at 115200 (as in scenarios/baudHunt.test.ts). */
const GARBLED = '\x80\xf8\x00\x86\xfe\x1e\x98\xe0\x7f\x06\r\n';

const hostCommands = (r: Rig, since = 0) => r.tx.filter(([at]) => at >= since).map(([, t]) => t.trim());
const healthUps = (r: Rig) => r.core().flatMap((s) => (s.kind === 'health' ? [s.health.up] : []));

describe('issue #9: line noise mid-call', () => {
  it.each<Family>(['sim800', 'sim7600', 'quectel'])('%s: six garbage lines keep the call (no lineFailed, no trunk-down); the core hanging up sends AT+CHUP', async (family) => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode, { family });
      await r.start();
      const { legId } = await answeredCall(r);
      const healthBefore = healthUps(r).length;
      const t0 = r.clock.now();
      for (let i = 0; i < 6; i++) r.dce.sendAfter(i * 20, garbageLine(100 + i));
      await r.advance(6_000);
      const during = {
        calls: callSignals(r),
        health: healthUps(r).slice(healthBefore),
        state: r.modem.supervisor.machine.state,
        wentThroughMismatch: r.healthStates.some(([at, s]) => at >= t0 && s === 'baudMismatch'),
        chup: hostCommands(r, t0).includes('AT+CHUP'),
        dceCalls: r.dce.calls.length,
      };
      r.trunk.hangup(legId);
      await r.advance(500);
      return { during, after: { calls: callSignals(r), chup: hostCommands(r, t0).filter((c) => c === 'AT+CHUP').length, dceCalls: r.dce.calls.length }, obs: observed(r) };
    });
    expect(out.during.wentThroughMismatch).toBe(true);
    expect(out.during.calls).toEqual(['offered:+27821231234', 'answered']);
    expect(out.during.health.every((up) => up)).toBe(true);
    expect(out.during.state).toBe('ok');
    expect(out.during.chup).toBe(false);
    expect(out.during.dceCalls).toBe(1);
    expect(out.after).toEqual({ calls: ['offered:+27821231234', 'answered', 'ended:local'], chup: 1, dceCalls: 0 });
  });

  it('garbage that outlasts the grace: lineFailed at the end of the grace, AT+CHUP once the modem answers again', async () => {
    const r = createRig('whole', { baudRates: [115200, 9600], atTimeouts: { quick: 500, resyncQuiet: 50 } });
    await r.start();
    await answeredCall(r);
    let garbled = true;
    r.dce.defineBehavior(() => (garbled ? GARBLED : undefined));
    const t0 = r.clock.now();
    for (let i = 0; i < 75; i++) r.dce.sendAfter(i * 200, garbageLine(i + 1));
    await r.advance(15_000);
    const mismatchAt = r.healthStates.find(([at, s]) => at >= t0 && s === 'baudMismatch')?.[0];
    const endedAt = r.signals.find(([, s]) => s.kind === 'ended')?.[0];
    expect(mismatchAt).toBeDefined();
    expect(callSignals(r)).toEqual(['offered:+27821231234', 'answered', 'ended:lineFailed']);
    expect(endedAt! - mismatchAt!).toBe(MODEM_TRUNK_TIMINGS.healthGraceMs);
    expect(hostCommands(r, t0)).not.toContain('AT+CHUP');
    expect(r.trunk.releasePending).toBe(true);
    // The noise stops; the baud hunt's next round finds the modem answering and it is up again.
    garbled = false;
    await r.advance(90_000);
    expect(r.trunk.health().up).toBe(true);
    expect(hostCommands(r, t0).filter((c) => c === 'AT+CHUP')).toHaveLength(1);
    expect(r.dce.calls).toEqual([]);
    expect(r.trunk.releasePending).toBe(false);
  });
});

describe('issue #9: an ATA that cannot reach the modem', () => {
  it('ATA behind a paused queue: the leg fails at the bound, the ATA is never written, AT+CHUP goes when the queue runs again', async () => {
    const r = createRig('whole');
    await r.start();
    r.dce.addIncoming('+27821231234');
    r.dce.send('\r\nRING\r\n\r\n+CLIP: "+27821231234",145,,,,0\r\n');
    await r.advance(100);
    const legId = offeredLegs(r)[0]!;
    r.modem.session.pause(); // as a modem marked dead leaves it
    const t0 = r.clock.now();
    r.trunk.answer(legId);
    await r.advance(MODEM_TRUNK_TIMINGS.answerWaitMs - 1);
    expect(callSignals(r)).toEqual(['offered:+27821231234']);
    await r.advance(1);
    expect(callSignals(r)).toEqual(['offered:+27821231234', 'ended:lineFailed']);
    expect(r.signals.at(-1)).toEqual([t0 + MODEM_TRUNK_TIMINGS.answerWaitMs, { kind: 'ended', legId, cause: 'lineFailed' }]);
    r.modem.session.resume();
    await r.advance(1_000);
    expect(hostCommands(r, t0)).not.toContain('ATA');
    expect(hostCommands(r, t0)).toContain('AT+CHUP');
    expect(r.dce.calls).toEqual([]);
    expect(r.trunk.health().busyChannels).toBe(0);
  });
});

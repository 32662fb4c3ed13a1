import { describe, expect, it } from 'vitest';
import type { Family } from '../profiles/ModemProfile.ts';
import { info, OK, type ScriptedDce } from '../testing/ScriptedDce.ts';
import { answeredCall, callSignals, createRig, inEverySplit, observed, type Rig } from '../testing/modemRig.ts';

/**
 * Issue #9, "late replies hang up a live call", at the façade: during a
 * connected call every reply comes 2.6 s late for 10 s (the quick timeout is
 * 2 s). Before the fix the resync `AT` took the timed-out AT+CLCC's late OK,
 * the retried AT+CLCC took the `AT`'s late bare OK as "no calls", the core
 * heard a caller hang-up, the driver sent AT+CHUP to two people still
 * talking, and a late `+CLCC:` line offered the same caller again. Now the
 * resync ends with the marker exchange, an empty list must be confirmed by a
 * second one, and a `+CLCC:` URC creates nothing on families that never push
 * it. Run per family: SIM7600 pushes +CLCC lines, the others do not.
 */

/** Every reply (not the echo) to a command written before `untilMs` comes `delayMs` late, in order. */
function lateReplies(r: Rig, delayMs: number, untilMs: number): void {
  let releaseAt = 0;
  r.dce.defineBehavior((cmd, dce) => {
    const now = r.clock.now();
    if (now >= untilMs && now >= releaseAt) return undefined;
    const at = Math.max(now < untilMs ? now + delayMs : now, releaseAt);
    releaseAt = at;
    dce.sendAfter(at - now, answer(cmd, dce));
    return null;
  });
}

/** What the scripted modem answers to the commands of a call in progress (its defaults, which a behaviour cannot call). */
function answer(cmd: string, dce: ScriptedDce): string {
  if (cmd === 'AT+CLCC') return dce.clccAnswer();
  const marker = /^ATS(\d+)=(\d+)S\1\?$/.exec(cmd);
  if (marker) return info(marker[2]!.padStart(3, '0'));
  if (cmd === 'AT+CSQ') return info(`+CSQ: ${dce.csq}`);
  if (cmd === 'AT+CREG?') return info(`+CREG: 2,${dce.cregStat}`);
  return OK;
}

async function lateDuringCall(family: Family, mode: Parameters<typeof createRig>[0]) {
  const r = createRig(mode, { family });
  await r.start();
  const { legId } = await answeredCall(r);
  await r.advance(3_000);
  const before = callSignals(r);
  const lateFrom = r.clock.now();
  const txFrom = r.tx.length;
  lateReplies(r, 2_600, lateFrom + 10_000);
  await r.advance(10_000 + 20_000);
  const written = r.tx.slice(txFrom).map(([, t]) => t.trim());
  return {
    before,
    after: callSignals(r).slice(before.length),
    legId,
    tracked: r.modem.calls.calls().map((c) => c.phase),
    hangups: written.filter((t) => t === 'AT+CHUP' || t.startsWith('AT+CHLD=1')),
    markers: written.filter((t) => /^ATS6=\d+S6\?$/.test(t)).length,
    clccTimeouts: r.atEvents.filter((e) => e[1] === 'failed' && e[2] === 'AT+CLCC').length,
    health: r.healthStates.map(([, s]) => s),
    busy: r.trunk.health().busyChannels,
    obs: observed(r),
  };
}

describe('issue #9: every reply 2.6 s late for 10 s during a connected call', () => {
  it.each(['sim800', 'sim7600', 'quectel', 'huawei'] as const)('%s: the call stays up, nothing hung up, nobody offered again', async (family) => {
    const out = await inEverySplit((mode) => lateDuringCall(family, mode));
    expect(out.before).toEqual(['offered:+27821231234', 'answered']);
    // The polls did time out (the fault was real).
    expect(out.clccTimeouts).toBeGreaterThan(0);
    // Nothing reached the core: no hang-up, no second offer of the same caller.
    expect(out.after).toEqual([]);
    expect(out.hangups).toEqual([]);
    expect(out.tracked).toEqual(['active']);
    expect(out.busy).toBe(1);
    // Late is not dead: the modem is never declared unresponsive, and it is healthy again at the end.
    expect(out.health).not.toContain('unresponsive');
    expect(out.health.at(-1)).toBe('ok');
    // Each resync after a timeout ended with the marker.
    expect(out.markers).toBeGreaterThan(0);
  });

  it('sim800: the far end hanging up after the late spell still ends the call, within a poll and its confirmation', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      const { index } = await answeredCall(r);
      lateReplies(r, 2_600, r.clock.now() + 10_000);
      await r.advance(20_000);
      const hungUpAt = r.clock.now();
      r.dce.remoteHangup(index);
      await r.advance(5_000);
      const endedAt = r.signals.find(([, s]) => s.kind === 'ended')?.[0];
      return { calls: callSignals(r), latency: endedAt === undefined ? null : endedAt - hungUpAt };
    });
    expect(out.calls).toEqual(['offered:+27821231234', 'answered', 'ended:remote']);
    expect(out.latency).not.toBeNull();
    expect(out.latency!).toBeLessThanOrEqual(2_000);
  });
});

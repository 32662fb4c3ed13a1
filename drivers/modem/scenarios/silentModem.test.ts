import { describe, expect, it } from 'vitest';
import { LADDER_DEFAULTS } from '../health/RecoveryLadder.ts';
import { answeredCall, callSignals, commandsWritten, createRig, inEverySplit, observed, offeredLegs, type Rig } from '../testing/modemRig.ts';
import type { ModemLines } from '../transport/ModemLines.ts';

/**
 * gsm-modems.md §10 scenario 5 at the façade: a modem that goes silent in the
 * middle of a bridged call (after AT+QHUP on an EP06, RoEdAl#3). The command
 * in flight times out at its class timeout, the modem is declared
 * unresponsive, the call fails cleanly into the core, the recovery ladder
 * runs its steps in order and ends dead: full passes again after a long
 * back-off, a lone `AT` every 5 s in between — a bounded number of bytes over
 * two hours, no health changes — and a modem that answers again is
 * recovered within one probe interval, re-initialised and its trunk up.
 */

/** A power-cycle hook that does nothing but count (the modem stays silent). */
class CountingLines implements ModemLines {
  readonly canPowerCycle = true;
  cycles = 0;
  async powerCycle(): Promise<void> {
    this.cycles++;
  }
}

function ladderSteps(r: Rig): string[] {
  return r.logs.filter((l) => l.msg === 'ladder step started').map((l) => String(l['step']));
}

function ladderPasses(r: Rig): number[] {
  return r.logs.filter((l) => l.msg === 'recovery ladder started').map((l) => Number(l['pass']));
}

/** Caller answered, agent reached by hold + dial + conference (AT+CHLD=2, ATD, AT+CHLD=3): a bridged call. */
async function bridgedCall(r: Rig): Promise<string> {
  const { legId } = await answeredCall(r, '+27821231234');
  r.trunk.connect(legId, '+27825550100', { ringTimeoutMs: 30_000 });
  await r.advance(100);
  const agent = r.dce.calls.find((c) => c.dir === 'out');
  if (!agent) throw new Error('the agent was not dialled');
  agent.stat = 0; // the agent answers; the next CLCC poll sees it
  await r.advance(2_000);
  return legId;
}

describe('scenario 5: the modem goes silent mid-call', () => {
  it('times out, fails the bridged call into the core, climbs the ladder to dead, stays bounded for 2 h, then recovers', async () => {
    const out = await inEverySplit(async (mode) => {
      const lines = new CountingLines();
      const r = createRig(mode, { lines });
      await r.start();
      const legId = await bridgedCall(r);
      const bridged = callSignals(r);

      // Silence. The next thing the host writes is a CLCC poll, which must time out at the quick class (2 s).
      r.dce.silent = true;
      const txBefore = r.tx.length;
      await r.advance(10_000);
      const afterSilence = callSignals(r).slice(bridged.length);
      const stateAfter10s = r.modem.supervisor.machine.state;
      const firstTx = r.tx[txBefore]!;
      const firstFail = r.atEvents.find((e) => e[1] === 'failed')!;

      // Let the ladder run out and two hours pass.
      await r.advance(2 * 60_000);
      const deadAt = r.clock.now();
      const stateDead = r.modem.supervisor.machine.state;
      const stepsFirstPass = ladderSteps(r);
      const declaredDeadAt = r.healthStates.find(([, st]) => st === 'dead')?.[0] ?? Infinity;
      const firstPassWrote = r.tx.slice(txBefore).filter(([at]) => at <= declaredDeadAt).map(([at, t]) => [at, t.trim()]);
      const bytesAtDead = r.written().length;
      const txAtDead = r.tx.length;
      const statesAtDead = r.healthStates.length;
      await r.advance(2 * 60 * 60_000);
      const bytesOver2h = r.written().length - bytesAtDead;
      const probesOver2h = r.tx.slice(txAtDead).filter(([, t]) => t === 'AT\r').length;
      const stateChangesWhileDead = r.healthStates.slice(statesAtDead);
      const passes = ladderPasses(r);
      // One ATZ per pass (the soft-reset step): when the passes ran.
      const softResetsAt = r.tx.filter(([, t]) => t === 'ATZ\r').map(([at]) => at);
      const healthUpWhileDead = r.lineEvents.filter((e) => e[1] === 'health' && Number(e[0]) > deadAt && e[2] === true).length;
      const legStillKnown = r.trunk.health().busyChannels;

      // The modem answers again: the next lone probe (≤ 5 s) recovers it, init runs again, the trunk comes up.
      r.dce.silent = false;
      const recoverFrom = r.written().length;
      const wokeAt = r.clock.now();
      await r.advance(10_000);
      const upAt = r.lineEvents.find((e) => e[1] === 'health' && e[2] === true && Number(e[0]) >= wokeAt)?.[0];
      return {
        legId,
        bridged,
        afterSilence,
        stateAfter10s,
        firstTx,
        firstFail,
        stateDead,
        stepsFirstPass,
        firstPassWrote,
        bytesOver2h,
        probesOver2h,
        stateChangesWhileDead,
        upAfterWakeMs: upAt === undefined ? null : Number(upAt) - wokeAt,
        passes,
        softResetsAt,
        healthUpWhileDead,
        legStillKnown,
        powerCycles: lines.cycles,
        recovered: commandsWritten(r.written().slice(recoverFrom)),
        finalState: r.modem.supervisor.machine.state,
        trunkUp: r.trunk.health().up,
        lastHealth: r.core().filter((s) => s.kind === 'health').at(-1),
        obs: observed(r),
      };
    });

    // Before the silence: caller offered, answered, agent bridged.
    expect(out.bridged).toEqual(['offered:+27821231234', 'answered', 'connectResult:answered']);
    // The CLCC in flight timed out exactly one quick-class timeout after it was written.
    expect(out.firstTx[1]).toBe('AT+CLCC\r');
    expect(out.firstFail.slice(1)).toEqual(['failed', 'AT+CLCC', 'timeout']);
    expect(Number(out.firstFail[0]) - out.firstTx[0]).toBe(2_000);
    // The core hears the bridge end because of the line, then the leg fail, then the line go down.
    expect(out.afterSilence).toEqual(['bridgeEnded:line', 'ended:lineFailed']);
    expect(out.legStillKnown).toBe(0);
    expect(out.stateAfter10s).toBe('recovering');
    // Health: one timeout degrades; the failed resync probe makes it unresponsive at once; the ladder
    // recovers it or declares it dead; each retry pass is `recovering` again; the last one brings it back.
    const states = out.obs.healthStates.map(([, s]) => s);
    const silentFrom = states.lastIndexOf('ok', states.indexOf('degraded'));
    expect(states.slice(silentFrom, silentFrom + 5)).toEqual(['ok', 'degraded', 'unresponsive', 'recovering', 'dead']);
    expect(out.obs.healthStates.find(([, s]) => s === 'degraded')?.[0]).toBe(out.firstFail[0]);
    expect(out.obs.healthStates.find(([, s]) => s === 'unresponsive')?.[0]).toBe(Number(out.firstFail[0]) + 2_000);
    // While dead, retry passes and probes leave the state alone (issue #9): no recovering ⇄ dead cycling.
    // A lone probe brings it back: nothing was reset, so no re-init (a reboot would show its banner).
    expect(states.slice(silentFrom)).toEqual(['ok', 'degraded', 'unresponsive', 'recovering', 'dead', 'ok']);
    expect(out.stateChangesWhileDead).toEqual([]);
    // The ladder, in order, then dead.
    expect(out.stepsFirstPass).toEqual(['probe', 'softReset', 'reopen', 'powerCycle']);
    const t0 = out.firstTx[0];
    expect(out.firstPassWrote.map(([at, text]) => [Number(at) - t0, text])).toEqual([
      [0, 'AT+CLCC'], // the poll that times out
      [2_000, 'AT'], // the session's resync probe: times out too, the queue pauses → unresponsive
      [4_000, 'AT'], // ladder 1: probe
      [6_000, 'ATZ'], // ladder 2: soft reset (written although the queue is paused)
      [8_000, 'AT+CFUN=1,1'],
      [23_000, 'AT'], // no boot marker within 15 s: probe
      [25_000, 'AT'], // ladder 3: port closed and reopened, probe
      [42_000, 'AT'], // ladder 4: power-cycle hook, 15 s for boot markers, probe
    ]);
    expect(out.stateDead).toBe('dead');
    expect(out.powerCycles).toBeGreaterThanOrEqual(1);
    // Long back-off for full passes: 5, 10, 20, 40 min apart (capped at 1 h) — a handful in 2 h, no tight loop.
    expect(out.passes.length).toBeLessThanOrEqual(6);
    const gaps = out.softResetsAt.slice(1).map((t, i) => t - out.softResetsAt[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(LADDER_DEFAULTS.retryInitialMs);
    // In between, a lone AT at most every 5 s (three bytes): ~1,440 in 2 h, ~4.4 kB with the passes.
    const hours2 = 2 * 60 * 60_000;
    expect(out.probesOver2h).toBeLessThanOrEqual(hours2 / LADDER_DEFAULTS.deadProbeMaxMs + 4 * out.passes.length);
    expect(out.probesOver2h).toBeGreaterThanOrEqual(hours2 / LADDER_DEFAULTS.deadProbeMaxMs - 60);
    expect(out.bytesOver2h).toBeLessThan(3 * (hours2 / LADDER_DEFAULTS.deadProbeMaxMs) + 40 * out.passes.length);
    expect(out.healthUpWhileDead).toBe(0);
    // Back within one probe interval: the probe answered, the idle poll (AT+CSQ, AT+CREG?) runs again, trunk up.
    expect(out.upAfterWakeMs).not.toBeNull();
    expect(out.upAfterWakeMs!).toBeLessThanOrEqual(LADDER_DEFAULTS.deadProbeMaxMs + 1_000);
    expect(out.recovered[0]).toBe('AT');
    expect(out.recovered).toContain('AT+CREG?');
    expect(out.recovered).not.toContain('ATE0');
    expect(out.finalState).toBe('ok');
    expect(out.trunkUp).toBe(true);
    expect(out.lastHealth).toMatchObject({ kind: 'health', health: { up: true } });
  });

  it('an unbridged call fails with ended{lineFailed} only, and the trunk refuses dials while the modem is down', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      await answeredCall(r);
      r.dce.silent = true;
      await r.advance(10_000);
      const down = r.trunk.health().up;
      const before = r.written().length;
      r.trunk.dial({ number: '+27821112222', ringTimeoutMs: 30_000 });
      await r.advance(100);
      return { calls: callSignals(r), down, dialWrote: r.written().slice(before), legs: offeredLegs(r), obs: observed(r) };
    });
    expect(out.calls).toEqual(['offered:+27821231234', 'answered', 'ended:lineFailed', 'dialResult:failed']);
    expect(out.down).toBe(false);
    expect(out.dialWrote).not.toContain('ATD');
  });
});

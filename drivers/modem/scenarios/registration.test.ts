import { describe, expect, it } from 'vitest';
import { callSignals, commandsWritten, createRig, inEverySplit, observed, type Rig } from '../testing/modemRig.ts';

/**
 * gsm-modems.md §10 scenario 16 (§7) at the façade: registration URCs decide
 * whether the trunk may dial. Stat ∉ {1, 5} → the dial is refused before any
 * ATD is written; roaming (5) counts as registered (TinyGSM#654).
 */

/** The modem pushes a +CREG URC and, consistently, answers the next AT+CREG? poll with the same stat. */
function creg(r: Rig, urc: string, stat: number): void {
  r.dce.cregStat = stat;
  r.dce.send(`\r\n${urc}\r\n`);
}

/** Dial through the trunk; returns the commands written while the dial was handled. */
async function dial(r: Rig): Promise<string[]> {
  const from = r.written().length;
  r.trunk.dial({ number: '+27821112222', ringTimeoutMs: 30_000 });
  await r.advance(500);
  return commandsWritten(r.written().slice(from));
}

describe('scenario 16: registration URCs', () => {
  it('searching / not registered refuse dials with no ATD written; roaming and home allow them', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      const steps: Array<{ urc: string; canDial: boolean; up: boolean; wrote: string[]; result: string[] }> = [];
      const step = async (urc: string, stat: number) => {
        creg(r, urc, stat);
        await r.advance(200);
        const h = r.modem.health();
        const before = callSignals(r).length;
        const wrote = await dial(r);
        const result = callSignals(r).slice(before);
        steps.push({ urc, canDial: h.canDial, up: h.up, wrote: wrote.filter((c) => c.startsWith('ATD')), result });
        if (r.dce.calls.length > 0) {
          // The far end rejects the call: the dial fails and the line is free for the next step.
          r.dce.remoteHangup(r.dce.calls[0]!.index, '\r\nNO CARRIER\r\n');
          await r.advance(6_000);
        }
      };
      await step('+CREG: 2', 2);
      await step('+CREG: 0', 0);
      await step('+CREG: 5,"0502","0404736D"', 5);
      await step('+CREG: 1,"8BE3","00002B5D",2', 1);
      return { steps, state: r.modem.supervisor.machine.state, calls: callSignals(r), obs: observed(r) };
    });
    expect(out.steps.map((s) => [s.urc, s.up, s.canDial, s.wrote])).toEqual([
      ['+CREG: 2', true, false, []],
      ['+CREG: 0', true, false, []],
      ['+CREG: 5,"0502","0404736D"', true, true, ['ATD+27821112222;']],
      ['+CREG: 1,"8BE3","00002B5D",2', true, true, ['ATD+27821112222;']],
    ]);
    expect(out.steps.map((s) => s.result)).toEqual([['dialResult:failed'], ['dialResult:failed'], [], []]);
    expect(out.calls).toEqual(['dialResult:failed', 'dialResult:failed', 'dialResult:failed', 'dialResult:failed']);
    expect(out.state).toBe('ok');
  });

  it('the line health follows: registered → not registered → roaming (up all along, dialable only when registered)', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      const from = r.lineEvents.length;
      creg(r, '+CREG: 2', 2);
      await r.advance(35_000); // a health poll (AT+CREG?) confirms it
      creg(r, '+CREG: 5,"0502","0404736D"', 5);
      await r.advance(35_000);
      return {
        // Consecutive health events with the same (up, canDial) differ only in their detail text.
        health: r.lineEvents
          .slice(from)
          .filter((e) => e[1] === 'health')
          .map((e) => [e[2], e[3]])
          .filter((h, i, all) => i === 0 || JSON.stringify(h) !== JSON.stringify(all[i - 1])),
        detail: r.trunk.health().detail,
        obs: observed(r),
      };
    });
    expect(out.health).toEqual([
      [true, false],
      [true, true],
    ]);
    expect(out.detail).toContain('roaming');
  });
});

describe('registration flapping (issue #9: a storm of +CREG home ↔ roaming flips)', () => {
  it('one detail-only health signal per flip (home ↔ roaming), never a state change, no command sent because of it', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      const at = r.clock.now();
      const signals = r.signals.length;
      const tx = r.tx.length;
      const flips = 20;
      for (let i = 0; i < flips; i++) {
        creg(r, i % 2 === 0 ? '+CREG: 5,"0502","0404736D"' : '+CREG: 1,"8BE3","00002B5D",2', i % 2 === 0 ? 5 : 1);
        await r.advance(100);
      }
      // Same stat again, other cells: nothing to report.
      creg(r, '+CREG: 1,"8BE4","00002B5E",2', 1);
      creg(r, '+CREG: 1,"8BE5","00002B5F",2', 1);
      await r.advance(100);
      const health = r.signals.slice(signals).flatMap(([, s]) => (s.kind === 'health' ? [s.health] : []));
      return {
        flips,
        health: health.map((h) => [h.up, h.detail]),
        states: r.healthStates.filter(([t]) => t >= at),
        wrote: r.tx.slice(tx).map(([, c]) => c.trim()),
        obs: observed(r),
      };
    });
    expect(out.health).toHaveLength(out.flips);
    expect(out.health.every(([up]) => up === true)).toBe(true);
    // The detail alternates between the two stats' texts; up (and canDial) never move.
    expect(new Set(out.health.map(([, d]) => d)).size).toBe(2);
    expect(out.health[0]![1]).toContain('roaming');
    expect(out.states).toEqual([]);
    expect(out.wrote).toEqual([]);
  });
});

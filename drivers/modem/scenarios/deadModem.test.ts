import { describe, expect, it } from 'vitest';
import { LADDER_DEFAULTS } from '../health/RecoveryLadder.ts';
import { MODEM_TIMINGS } from '../modem/timings.ts';
import type { Family } from '../profiles/ModemProfile.ts';
import { createRig, inEverySplit, observed, type Rig } from '../testing/modemRig.ts';
import { SIM800_BOOT_BANNER } from '../testing/ScriptedDce.ts';

/**
 * Issue #9, items 3 and 8: a modem the driver has given up on (`dead`) that
 * comes back — with a boot banner, or simply answering the next probe — has
 * its queue running again and the trunk up within seconds, without the
 * health state cycling through `recovering` and `dead` meanwhile.
 */

/** Boot banners per family (gsm-modems.md §5.5 "signs of a reboot"; the fake modem's dialects). */
const BANNERS: Partial<Record<Family, string>> = {
  sim800: SIM800_BOOT_BANNER,
  sim7600: '\r\nRDY\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n',
  quectel: '\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\n+QUSIM: 1\r\n\r\n+QIND: SMS DONE\r\n',
};

/** Silence until the ladder has given up (first pass: ~45 s after the first timeout); returns when dead. */
async function killModem(r: Rig): Promise<void> {
  r.dce.silent = true;
  // Traffic now rather than at the next idle poll: the CLCC times out, the resync probe too, the ladder runs.
  void r.modem.refreshCalls();
  await r.advance(60_000);
  if (r.modem.supervisor.machine.state !== 'dead') throw new Error(`expected dead, got ${r.modem.supervisor.machine.state}`);
}

const states = (r: Rig, from: number) => r.healthStates.filter(([at]) => at >= from).map(([, s]) => s);

describe('item 3: a modem that reboots while marked dead', () => {
  it.each(Object.keys(BANNERS) as Family[])('%s: the banner resumes the queue; after the 2 s settle the whole init runs and the trunk is up', async (family) => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode, { family });
      await r.start();
      await killModem(r);
      r.dce.silent = false;
      const at = r.clock.now();
      const tx = r.tx.length;
      r.dce.reboot(BANNERS[family]);
      await r.advance(5_000);
      const wrote = r.tx.slice(tx).map(([t, c]) => [t - at, c.trim()] as const);
      return {
        firstWrites: wrote.slice(0, 2),
        states: states(r, at),
        up: r.trunk.health().up,
        reboots: r.modem.supervisor.counters.snapshot().reboots,
        paused: r.modem.session.isPaused,
        obs: observed(r),
      };
    });
    // Before the fix nothing at all was written for 6 minutes: the queue stayed paused.
    expect(out.firstWrites).toEqual([
      [MODEM_TIMINGS.rebootSettleMs, 'ATE0'],
      [MODEM_TIMINGS.rebootSettleMs, 'ATI'],
    ]);
    expect(out.states).toEqual(['starting', 'ok']);
    expect(out.up).toBe(true);
    expect(out.paused).toBe(false);
    expect(out.reboots).toBe(1);
  });

  it('a modem dead since power-on (never initialised) that prints its banner later starts too', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      r.dce.silent = true;
      await r.start();
      await r.advance(90_000);
      const before = r.modem.supervisor.machine.state;
      r.dce.silent = false;
      const at = r.clock.now();
      r.dce.reboot();
      await r.advance(5_000);
      return { before, states: states(r, at), up: r.trunk.health().up, obs: observed(r) };
    });
    expect(out.before).toBe('dead');
    expect(out.states).toEqual(['starting', 'ok']);
    expect(out.up).toBe(true);
  });
});

describe('item 8: back within seconds of answering again', () => {
  it('60 s of silence, then the modem answers: in service within one probe interval, four health signals in all, no cycling', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      const from = r.clock.now();
      const signals = r.signals.length;
      await killModem(r);
      const deadAfterMs = (r.healthStates.find(([, s]) => s === 'dead')?.[0] ?? 0) - from;
      r.dce.silent = false;
      const answeredAt = r.clock.now();
      await r.advance(LADDER_DEFAULTS.deadProbeMaxMs + 2_000);
      const health = r.signals.slice(signals).flatMap(([t, s]) => (s.kind === 'health' ? [[t, s.health.up, s.health.detail.split(',')[0]]] : []));
      const upAt = health.find(([t, up]) => up === true && Number(t) >= answeredAt)?.[0];
      return {
        deadAfterMs,
        upAfterAnswerMs: upAt === undefined ? null : Number(upAt) - answeredAt,
        health: health.map(([, up, word]) => [up, word]),
        states: states(r, from),
        probes: r.modem.supervisor.stats()['ladder'],
        obs: observed(r),
      };
    });
    expect(out.deadAfterMs).toBeLessThan(60_000);
    // Was 4.5 min (the 5 min retry pass); now the next lone AT, ≤ 5 s, plus the init.
    expect(out.upAfterAnswerMs).not.toBeNull();
    expect(out.upAfterAnswerMs!).toBeLessThanOrEqual(LADDER_DEFAULTS.deadProbeMaxMs + 500);
    // Nothing was reset, so no re-init: straight back to ok.
    expect(out.states).toEqual(['degraded', 'unresponsive', 'recovering', 'dead', 'ok']);
    // (unresponsive → recovering happen in one step: the ladder starts at once.)
    expect(out.health).toEqual([
      [true, 'slow to answer'],
      [false, 'recovering'],
      [false, 'dead (retrying later)'],
      [true, 'in service'],
    ]);
    expect(out.probes).toMatchObject({ passes: 1, recoveries: 1 });
  });
});

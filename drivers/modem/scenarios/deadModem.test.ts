import { describe, expect, it } from 'vitest';
import { LADDER_DEFAULTS } from '../health/RecoveryLadder.ts';
import { MODEM_TIMINGS } from '../modem/timings.ts';
import type { Family } from '../profiles/ModemProfile.ts';
import { callSignals, createRig, inEverySplit, offeredLegs, observed, type Rig } from '../testing/modemRig.ts';
import { SIM800_BOOT_BANNER } from '../testing/ScriptedDce.ts';

/**
 * Issue #9, items 3, 4 and 8: a modem the driver has given up on (`dead`)
 * that comes back. Whatever brings it back — a boot banner, a caller ringing,
 * any other URC, or simply answering the next probe — the queue runs again
 * and the trunk is up within seconds, without the health state cycling
 * through `recovering` and `dead` meanwhile.
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

describe('item 4: a call offered while the modem is marked dead', () => {
  it('RING + CLIP is proof of life: in service at once (no re-init under the caller), ATA written, the call answered and kept', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      await killModem(r);
      r.dce.silent = false;
      const at = r.clock.now();
      const tx = r.tx.length;
      const signals = r.signals.length;
      r.dce.addIncoming('+27821231234');
      r.dce.send('\r\nRING\r\n\r\n+CLIP: "+27821231234",145,,,,0\r\n');
      await r.advance(100);
      const legId = offeredLegs(r).at(-1);
      if (legId) r.trunk.answer(legId);
      await r.advance(5_000);
      const wrote = r.tx.slice(tx).map(([t, c]) => [t - at, c.trim()] as const);
      return {
        core: callSignals(r).slice(0),
        health: r.signals.slice(signals).flatMap(([t, s]) => (s.kind === 'health' ? [[t - at, s.health.up]] : [])),
        ata: wrote.find(([, c]) => c === 'ATA'),
        states: states(r, at),
        dceCall: r.dce.calls[0]?.stat,
        obs: observed(r),
      };
    });
    expect(out.core).toEqual(['offered:+27821231234', 'answered']);
    // One health signal: up, once the lone probe written into the silence has timed out (it would
    // re-pause the queue); nothing drops the line under the caller, no re-init.
    expect(out.health).toHaveLength(1);
    expect(out.health[0]![1]).toBe(true);
    expect(out.health[0]![0]).toBeLessThanOrEqual(2_000);
    expect(out.states).toEqual(['ok']);
    expect(out.ata?.[0]).toBeLessThanOrEqual(2_500);
    expect(out.dceCall).toBe(0); // active on the modem
  });

  it('the answer fails (ERROR to ATA): the core learns the leg failed', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      await killModem(r);
      r.dce.silent = false;
      r.dce.replyOnce('ATA', '\r\nERROR\r\n');
      r.dce.addIncoming('+27821231234');
      r.dce.send('\r\nRING\r\n\r\n+CLIP: "+27821231234",145,,,,0\r\n');
      await r.advance(100);
      const legId = offeredLegs(r).at(-1);
      if (legId) r.trunk.answer(legId);
      await r.advance(3_000);
      return { core: callSignals(r), obs: observed(r) };
    });
    expect(out.core).toEqual(['offered:+27821231234', 'ended:lineFailed']);
  });

  it('a modem never initialised (dead since power-on) that rings: it starts, and the call rung in meanwhile is answered', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      r.dce.silent = true;
      await r.start();
      await r.advance(90_000);
      const before = r.modem.supervisor.machine.state;
      r.dce.silent = false;
      const at = r.clock.now();
      r.dce.addIncoming('+27821231234');
      r.dce.send('\r\nRING\r\n\r\n+CLIP: "+27821231234",145,,,,0\r\n');
      await r.advance(100);
      const legId = offeredLegs(r).at(-1);
      if (legId) r.trunk.answer(legId);
      await r.advance(5_000);
      return { before, core: callSignals(r), states: states(r, at), up: r.trunk.health().up, obs: observed(r) };
    });
    expect(out.before).toBe('dead');
    expect(out.states).toEqual(['starting', 'ok']);
    expect(out.core).toEqual(['offered:+27821231234', 'answered']);
    expect(out.up).toBe(true);
  });

  it('periodic reports (^RSSI, under-voltage, Huawei ^BOOT) are no proof of life: still dead, queue still paused', async () => {
    const r = createRig('whole');
    await r.start();
    await killModem(r);
    // Still not answering commands, but its firmware keeps printing its periodic reports.
    r.dce.send('\r\n^RSSI:13\r\n\r\nUNDER-VOLTAGE WARNNING\r\n\r\n^BOOT:48175390,0,0,0,89\r\n');
    await r.advance(3_000);
    expect(r.modem.supervisor.machine.state).toBe('dead');
    expect(r.modem.session.isPaused).toBe(true);
  });

  it('any other URC is: a +CREG while dead brings it back (no call involved)', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      await killModem(r);
      r.dce.silent = false;
      const at = r.clock.now();
      r.dce.send('\r\n+CREG: 1,"8BE3","00002B5D",2\r\n');
      await r.advance(2_500);
      return { states: states(r, at), up: r.trunk.health().up, obs: observed(r) };
    });
    expect(out.states).toEqual(['ok']);
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

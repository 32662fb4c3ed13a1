import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../gateway/core/Random.ts';
import { answeredCall, callSignals, createRig, inEverySplit, observed, type Rig } from '../testing/modemRig.ts';

/**
 * Garbage and noise at the façade (gsm-modems.md §10 scenarios 9 and 10,
 * P11, P16): a baud-mismatch burst while idle, and a storm of known and
 * unknown URCs while a call runs. Fed whole, byte by byte and randomly split.
 */

/** `n` bytes of seeded noise that surely hold a NUL, invalid UTF-8 (0xC3 0x28, 0xFF) and high bytes. */
function noise(seed: number, n: number): Uint8Array {
  const rnd = new SeededRandom(seed);
  const out = new Uint8Array(n);
  out.set([0x00, 0xc3, 0x28, 0xff, 0xfe, 0x80, 0x00]);
  for (let i = 7; i < n; i++) out[i] = Math.floor(rnd.next() * 256);
  return out;
}

function withLineEnd(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 2);
  out.set(bytes);
  out.set([0x0d, 0x0a], bytes.length);
  return out;
}

/** Send `line` every `everyMs` until `untilMs` (virtual), from now. */
function repeat(r: Rig, line: string, everyMs: number, untilMs: number): { sent: () => number } {
  let n = 0;
  const end = r.clock.now() + untilMs;
  const tick = (): void => {
    if (r.clock.now() >= end) return;
    n++;
    r.dce.send(`\r\n${line}\r\n`);
    r.clock.setTimer('dce.storm', everyMs, tick);
  };
  tick();
  return { sent: () => n };
}

describe('baud mismatch and garbage (scenario 9)', () => {
  it('a 200-byte burst while idle: no exception, discarded bytes counted, the next answers are normal', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      const burstAt = r.clock.now();
      r.dce.send(withLineEnd(noise(9, 200)));
      await r.advance(100);
      const counters = r.modem.supervisor.counters.snapshot();
      await r.advance(35_000); // the health poll's AT+CSQ / AT+CREG? get valid answers
      return {
        discarded: counters.discarded,
        stateAfterPoll: r.modem.supervisor.machine.state,
        up: r.trunk.health().up,
        failed: r.atEvents.filter((e) => e[1] === 'failed'),
        polled: r.atEvents.filter((e) => Number(e[0]) > burstAt && e[1] === 'ok' && (e[2] === 'AT+CSQ' || e[2] === 'AT+CREG?')).length,
        obs: observed(r),
      };
    });
    expect(out.discarded.items).toBeGreaterThan(0);
    expect(out.discarded.bytes).toBeGreaterThan(0);
    expect(out.failed).toEqual([]);
    expect(out.polled).toBe(2);
    expect(out.stateAfterPoll).toBe('ok');
    expect(out.up).toBe(true);
  });

  it('garbage for 5 s: baudMismatch, the trunk goes down; the next valid answers bring it back up', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      const rnd = new SeededRandom(77);
      for (let i = 0; i < 50; i++) r.dce.sendAfter(i * 100, withLineEnd(noise(1_000 + Math.floor(rnd.next() * 1e6), 40)));
      await r.advance(5_100);
      const during = { state: r.modem.supervisor.machine.state, up: r.trunk.health().up, discarded: r.modem.supervisor.counters.snapshot().discarded };
      await r.advance(30_000);
      return {
        during,
        baud: r.atEvents.filter((e) => e[1] === 'baudMismatch').length,
        after: { state: r.modem.supervisor.machine.state, up: r.trunk.health().up },
        health: r.core().flatMap((s) => (s.kind === 'health' ? [s.health.up] : [])),
        obs: observed(r),
      };
    });
    expect(out.during.state).toBe('baudMismatch');
    expect(out.during.up).toBe(false);
    expect(out.during.discarded.items).toBeGreaterThanOrEqual(45);
    expect(out.baud).toBe(1); // reported once per episode, not once per garbage line
    expect(out.after).toEqual({ state: 'ok', up: true });
    expect(out.health.slice(-2)).toEqual([false, true]);
    expect(out.obs.healthStates.map(([, s]) => s).slice(-2)).toEqual(['baudMismatch', 'ok']);
  });
});

describe('unknown-URC storm while a call runs (scenario 10)', () => {
  const UNKNOWN = ['+ZPASR: "GSM"', '^SYSSTART'];

  it('commands complete on time, unknown URCs are counted, known noise is not, a lost reply still times out', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      await answeredCall(r);
      const stormMs = 20_000;
      const rssi = repeat(r, '^RSSI:13', 200, stormMs);
      const volt = repeat(r, 'UNDER_VOLTAGE WARNING ', 1_000, stormMs); // trailing blank (Ai-Thinker A6, GPRS-AT#17)
      const gdm = repeat(r, '+CGDMODIND:1', 1_500, stormMs);
      const unknown = UNKNOWN.map((l) => repeat(r, l, 700, stormMs));
      // One CLCC poll in the middle of the storm gets no answer at all.
      let dropped = false;
      r.dce.defineBehavior((cmd) => {
        if (cmd !== 'AT+CLCC' || dropped || r.clock.now() < 8_000) return undefined;
        dropped = true;
        return null;
      });
      const tx0 = r.tx.length;
      const ev0 = r.atEvents.length;
      await r.advance(stormMs + 1_000);
      const tx = r.tx.slice(tx0).filter(([, t]) => t === 'AT+CLCC\r').map(([at]) => at);
      const done = r.atEvents.slice(ev0).filter((e) => e[2] === 'AT+CLCC');
      const c = r.modem.supervisor.counters.snapshot();
      return {
        sent: { rssi: rssi.sent(), volt: volt.sent(), gdm: gdm.sent(), unknown: unknown.map((u) => u.sent()) },
        clccWritten: tx,
        clccDone: done,
        unknownUrcs: c.unknownUrcs,
        byName: c.unknownUrcsByName,
        rssi: c.signal?.rssi,
        calls: callSignals(r),
        state: r.modem.supervisor.machine.state,
        obs: observed(r),
      };
    });
    expect(out.sent.rssi).toBe(100);
    // Every CLCC written got its answer in the same virtual millisecond, except the one the modem
    // dropped: that one failed exactly at its 2 s quick-class timeout, the storm notwithstanding.
    const failed = out.clccDone.filter((e) => e[1] === 'failed');
    expect(failed).toHaveLength(1);
    const lost = out.clccWritten.find((at) => !out.clccDone.some((e) => e[1] === 'ok' && e[0] === at))!;
    expect(failed[0]).toEqual([lost + 2_000, 'failed', 'AT+CLCC', 'timeout']);
    expect(out.clccDone.filter((e) => e[1] === 'ok').map((e) => e[0])).toEqual(out.clccWritten.filter((at) => at !== lost));
    // Polls keep coming every ~2 s for the whole storm: nothing stalls after the timeout.
    expect(out.clccWritten.length).toBeGreaterThanOrEqual(9);
    const gaps = out.clccWritten.slice(1).map((t, i) => t - out.clccWritten[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(4_500);
    // Unknown URCs counted by name; ^RSSI, the voltage warning and +CGDMODIND are known, not counted.
    expect(out.unknownUrcs).toBe(out.sent.unknown.reduce((a, b) => a + b, 0));
    expect(out.byName).toEqual({ '+ZPASR': out.sent.unknown[0], '^SYSSTART': out.sent.unknown[1] });
    expect(out.rssi).toBe(13);
    // The call is untouched by all of it.
    expect(out.calls).toEqual(['offered:+27821231234', 'answered']);
    expect(out.state).toBe('ok');
  });

  it('a flood faster than the 200 ms resync quiet period cannot stall the queue after a timeout', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      await answeredCall(r);
      repeat(r, '+ZPASR: "GSM"', 150, 30_000);
      r.dce.replyOnce('AT+CLCC', null); // the first poll in the flood times out → resync with a quiet period
      const tx0 = r.tx.length;
      await r.advance(30_000);
      const tx = r.tx.slice(tx0).map(([at, t]) => [at, t.trim()] as const);
      return { tx, calls: callSignals(r), queued: r.modem.session.queued, obs: observed(r) };
    });
    const clcc = out.tx.filter(([, t]) => t === 'AT+CLCC').map(([at]) => at);
    // The poll after the lost one is written within a few seconds, and polling goes on for the rest of the flood.
    expect(clcc.length).toBeGreaterThanOrEqual(8);
    expect(clcc[1]! - clcc[0]!).toBeLessThanOrEqual(6_000);
    expect(out.queued).toBe(0);
    expect(out.calls).toEqual(['offered:+27821231234', 'answered']);
  });
});

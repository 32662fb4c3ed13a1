import { describe, expect, it } from 'vitest';
import { answeredCall, callSignals, commandsWritten, createRig, inEverySplit, observed } from '../testing/modemRig.ts';

/**
 * gsm-modems.md §10 scenario 11 (P5) at the façade: NO CARRIER and BUSY are
 * final results only for ATD/ATA; elsewhere they are call-ended URCs.
 */
describe('scenario 11: finals that are URCs elsewhere', () => {
  it('NO CARRIER while the health poll’s AT+CSQ is pending ends the call; the CSQ resolves normally', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      const { index } = await answeredCall(r);
      // The supervisor polls AT+CSQ every 30 s; this time the caller hangs up while it is in flight.
      let hit = -1;
      r.dce.defineBehavior((cmd, dce) => {
        if (cmd !== 'AT+CSQ' || hit >= 0) return undefined;
        hit = r.clock.now();
        dce.calls.splice(dce.calls.findIndex((c) => c.index === index), 1);
        return '\r\nNO CARRIER\r\n\r\n+CSQ: 17,0\r\n\r\nOK\r\n';
      });
      await r.advance(31_000);
      return {
        hit,
        calls: callSignals(r),
        csq: r.atEvents.filter((e) => e[2] === 'AT+CSQ' && Number(e[0]) === hit),
        signal: r.modem.supervisor.counters.snapshot().signal,
        failed: r.atEvents.filter((e) => e[1] === 'failed'),
        obs: observed(r),
      };
    });
    expect(out.hit).toBeGreaterThan(0);
    expect(out.calls).toEqual(['offered:+27821231234', 'answered', 'ended:remote']);
    expect(out.csq).toEqual([[out.hit, 'ok', 'AT+CSQ']]);
    expect(out.signal).toMatchObject({ rssi: 17, dbm: -79 });
    expect(out.failed).toEqual([]);
  });

  it('BUSY after ATD already answered OK: dialResult busy', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      const from = r.written().length;
      const legId = r.trunk.dial({ number: '+27821112222', ringTimeoutMs: 60_000 });
      await r.advance(1_500); // ATD → OK; the DCE lists the call as dialing
      const out = r.dce.calls.find((c) => c.dir === 'out')!;
      out.stat = 3; // alerting …
      await r.advance(1_000);
      r.dce.remoteHangup(out.index, '\r\nBUSY\r\n'); // … then the callee is busy
      await r.advance(5_000);
      return { legId, calls: callSignals(r), wrote: commandsWritten(r.written().slice(from)), live: r.modem.calls.calls().length, obs: observed(r) };
    });
    expect(out.calls).toEqual(['dialResult:busy']);
    expect(out.wrote[0]).toBe('ATD+27821112222;');
    expect(out.wrote.filter((c) => c.startsWith('ATD'))).toHaveLength(1);
    expect(out.live).toBe(0);
    // The failed outbound call hangs nothing up it should not, and no AT+CHUP is needed for a call the network ended.
    expect(out.obs.atEvents.filter((e) => e[1] === 'failed')).toEqual([]);
  });

  it('BUSY as the final result of ATD itself: dialResult busy', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      r.dce.replyOnce('ATD+27821112222;', '\r\nBUSY\r\n');
      r.trunk.dial({ number: '+27821112222', ringTimeoutMs: 60_000 });
      await r.advance(3_000);
      return { calls: callSignals(r), obs: observed(r) };
    });
    expect(out.calls).toEqual(['dialResult:busy']);
  });

  it('a bare OK with nothing pending is logged and ignored', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      const { legId } = await answeredCall(r);
      r.dce.send('\r\nOK\r\n');
      await r.advance(5_000);
      return { legId, calls: callSignals(r), strays: r.atEvents.filter((e) => e[1] === 'strayFinal'), obs: observed(r) };
    });
    expect(out.calls).toEqual(['offered:+27821231234', 'answered']);
    expect(out.strays.map((e) => e.slice(1))).toEqual([['strayFinal', 'OK']]);
  });
});

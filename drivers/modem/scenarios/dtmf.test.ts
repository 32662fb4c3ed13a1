import { describe, expect, it } from 'vitest';
import { answeredCall, callSignals, createRig, inEverySplit, observed } from '../testing/modemRig.ts';

/**
 * gsm-modems.md §10 scenario 4 at the façade: DTMF in every dialect, within
 * 1.5 s, interleaved with the reply to an in-flight AT+CLCC, during an active
 * call. Fed whole, byte by byte and randomly split.
 */
describe('scenario 4: DTMF bursts in every dialect during an active call', () => {
  it('digits 8 # 5 * 1 8 reach the core in order; the in-flight AT+CLCC completes', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      await answeredCall(r, '+27821231234');
      const callSignalsBefore = callSignals(r).length;
      // The next CLCC poll's reply carries DTMF URCs before, inside and after the list;
      // two more digits follow within 1.5 s of it.
      let burst = false;
      r.dce.defineBehavior((cmd, dce) => {
        if (cmd !== 'AT+CLCC' || burst) return undefined;
        burst = true;
        dce.sendAfter(400, '\r\n^DDTMF: 1\r\n'); // Huawei
        dce.sendAfter(900, '\r\r\n+RXDTMF: 8\r\r\n'); // the same digit again: a separate event
        return (
          '\r\r\n+RXDTMF: 8\r\r\n' + // SIM7600, \r\r\n framing
          '\r\n+CLCC: 1,1,0,0,0,"+27821231234",145\r\n' +
          '\r\n+QTONEDET: 35\r\n' + // Quectel: ASCII 35 = #
          '\r\n+DTMF:5\r\n' + // SIM800 without a blank
          '\r\nOK\r\n' +
          '\r\n+DTMF: *,200\r\n' // SIM800 reportMode 1: digit and duration
        );
      });
      await r.advance(3_500);
      return {
        digits: r.core().flatMap((s) => (s.kind === 'dtmf' ? [s.digit] : [])),
        dtmfAt: r.signals.flatMap(([t, s]) => (s.kind === 'dtmf' ? [t] : [])),
        after: callSignals(r).slice(callSignalsBefore),
        clcc: r.atEvents.filter((e) => e[2] === 'AT+CLCC'),
        live: r.modem.calls.calls().map((c) => c.phase),
        obs: observed(r),
      };
    });
    expect(out.digits).toEqual(['8', '#', '5', '*', '1', '8']);
    expect(out.after).toEqual(['dtmf:8', 'dtmf:#', 'dtmf:5', 'dtmf:*', 'dtmf:1', 'dtmf:8']);
    expect(out.digits.join('')).not.toMatch(/[\r\n]/);
    // The first four arrive with the CLCC reply itself, the last two 400 and 900 ms later.
    const t0 = out.dtmfAt[0]!;
    expect(out.dtmfAt.map((t) => t - t0)).toEqual([0, 0, 0, 0, 400, 900]);
    // Every CLCC (the one with the burst inside included) completed, none failed.
    expect(out.clcc.length).toBeGreaterThan(0);
    expect(out.clcc.every((e) => e[1] === 'ok')).toBe(true);
    expect(out.live).toEqual(['active']);
    expect(out.obs.atEvents.filter((e) => e[1] !== 'ok')).toEqual([]);
  });

  it('DTMF before the call is answered is dropped, not delivered to a ringing leg', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      r.dce.addIncoming('+27821231234');
      r.dce.send('\r\nRING\r\n\r\n+CLIP: "+27821231234",145,,,,0\r\n\r\n+DTMF: 5\r\n');
      await r.advance(500);
      return { calls: callSignals(r), obs: observed(r) };
    });
    expect(out.calls).toEqual(['offered:+27821231234']);
  });
});

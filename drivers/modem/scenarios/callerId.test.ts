import { describe, expect, it } from 'vitest';
import type { CallerId } from '../../../gateway/events.ts';
import type { TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import { callSignals, createRig, inEverySplit, observed, offeredLegs, type Rig } from '../testing/modemRig.ts';

/**
 * gsm-modems.md §10 scenarios 2 and 3 at the façade: GsmModem + ModemTrunk on
 * a scripted SIM800, every DCE stream cut whole / byte by byte / randomly.
 * What counts is what reaches the core: exactly one `offered` per real call,
 * the caller ID exactly as the network gave it.
 */

const GAP = 8_000; // between calls: longer than the tracker's 5 s tombstone window

function offered(r: Rig): Array<Extract<TrunkSignal, { kind: 'offered' }>> {
  return r.core().flatMap((s) => (s.kind === 'offered' ? [s] : []));
}

describe('scenario 2: RING/CLIP ordering chaos', () => {
  it('one offered signal per real call, however RING, +CRING and +CLIP are ordered', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      const ringCounts: number[] = [];

      // (a) RING, then +CLIP 300 ms later (beyond the 200 ms CLIP grace); the caller gives up unanswered.
      const a = r.dce.addIncoming('+27821231234');
      r.dce.send('\r\nRING\r\n');
      r.dce.sendAfter(300, '\r\n+CLIP: "+27821231234",145,,,,0\r\n');
      await r.advance(1_000);
      r.dce.remoteHangup(a);
      await r.advance(GAP);

      // (b) RING, RING, then +CLIP in one burst; the core answers, the caller hangs up (NO CARRIER).
      const b = r.dce.addIncoming('+27821231235');
      r.dce.send('\r\nRING\r\n\r\nRING\r\n\r\n+CLIP: "+27821231235",145,,,,0\r\n');
      await r.advance(100);
      r.trunk.answer(offeredLegs(r).at(-1)!);
      await r.advance(1_000);
      r.dce.remoteHangup(b, '\r\nNO CARRIER\r\n');
      await r.advance(GAP);

      // (c) +CLIP with no RING at all; the caller gives up unanswered.
      const c = r.dce.addIncoming('+27821231236');
      r.dce.send('\r\n+CLIP: "+27821231236",145,,,,0\r\n');
      await r.advance(1_000);
      r.dce.remoteHangup(c);
      await r.advance(GAP);

      // (d) +CRING: VOICE (AT+CRC=1) on this call; the core answers and hangs up itself (AT+CHUP).
      r.dce.addIncoming('+27821231237');
      r.dce.send('\r\n+CRING: VOICE\r\n\r\n+CLIP: "+27821231237",145,,,,0\r\n');
      await r.advance(100);
      const dLeg = offeredLegs(r).at(-1)!;
      r.trunk.answer(dLeg);
      await r.advance(1_000);
      r.trunk.hangup(dLeg);
      await r.advance(GAP);

      // (e) the next call rings with plain RING, five RING/CLIP repetitions ~1 s apart, then the caller gives up.
      const e = r.dce.addIncoming('+27821231238');
      for (let i = 0; i < 5; i++) {
        r.dce.send('\r\nRING\r\n\r\n+CLIP: "+27821231238",145,,,,0\r\n');
        await r.advance(1_000);
      }
      ringCounts.push(...r.modem.calls.calls().map((x) => x.ringCount));
      r.dce.remoteHangup(e);
      await r.advance(GAP);
      return { ...observed(r), calls: callSignals(r), offeredLegs: offeredLegs(r), ringCounts, live: r.modem.calls.calls().length };
    });

    expect(out.violations).toEqual([]);
    expect(out.ringCounts).toEqual([5]);
    expect(out.live).toBe(0);
    expect(out.calls).toEqual([
      // (a) the 200 ms grace ran out before +CLIP: the trunk holds the offer until the number is known
      'offered:+27821231234',
      'ended:remote',
      'offered:+27821231235',
      'answered',
      'ended:remote',
      'offered:+27821231236',
      'ended:remote',
      'offered:+27821231237',
      'answered',
      'ended:local',
      'offered:+27821231238',
      'ended:remote',
    ]);
    expect(out.offeredLegs).toEqual(['gsm1:1', 'gsm1:2', 'gsm1:3', 'gsm1:4', 'gsm1:5']);
    // The late +CLIP of (a) still reaches the line's call (announced once, then updated once).
    const lineCallEvents = out.lineEvents.filter((e) => e[1] === 'incoming' || e[1] === 'callerIdUpdated');
    expect(lineCallEvents.map((e) => [e[1], e[2]])).toEqual([
      ['incoming', 'call-1'],
      ['callerIdUpdated', 'call-1'],
      ['incoming', 'call-2'],
      ['incoming', 'call-3'],
      ['incoming', 'call-4'],
      ['incoming', 'call-5'],
    ]);
    expect(lineCallEvents[1]?.[3]).toEqual({ number: '+27821231234', type: 145, validity: 'valid', alpha: null });
    // Answer and hang-up were written once each; no ATD, no stray commands.
    expect(out.written.match(/ATA\r/g)).toHaveLength(2);
    expect(out.written.match(/AT\+CHUP\r/g)).toHaveLength(1);
    expect(out.written).not.toContain('ATD');
    expect(out.atEvents.filter((e) => e[1] === 'failed')).toEqual([]);
  });

  it('a +CLIP within the 200 ms grace, or a late one, puts the number on the offered signal itself', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      r.dce.addIncoming('+27821231234');
      r.dce.send('\r\nRING\r\n');
      r.dce.sendAfter(150, '\r\n+CLIP: "+27821231234",145,,,,0\r\n');
      await r.advance(1_000);
      return { calls: callSignals(r), obs: observed(r) };
    });
    expect(out.calls).toEqual(['offered:+27821231234']);
  });
});

describe('scenario 3: odd and withheld caller IDs reach the core unaltered', () => {
  const cases: Array<[string, string, CallerId]> = [
    ['withheld, empty number with CLI validity 1', '+CLIP: "",128,,,,1', { kind: 'withheld' }],
    ['non-digits kept as given', '+CLIP: "+7913913ABCA",145', { kind: 'number', number: '+7913913ABCA' }],
    ['national number not prefixed', '+CLIP: "0612345678",129', { kind: 'number', number: '0612345678' }],
    ['full field list with empty subaddress and alpha', '+CLIP: "+420123456789",145,"",128,"",0', { kind: 'number', number: '+420123456789' }],
    ['empty number without validity: unavailable', '+CLIP: "",128', { kind: 'unavailable' }],
    ['CLI validity 2: unavailable', '+CLIP: "",128,,,,2', { kind: 'unavailable' }],
  ];

  it.each(cases)('%s', async (_name, clip, callerId) => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      r.dce.addIncoming('+0');
      r.dce.send(`\r\nRING\r\n\r\n${clip}\r\n`);
      await r.advance(500);
      return { offered: offered(r), obs: observed(r) };
    });
    expect(out.offered).toHaveLength(1);
    expect(out.offered[0]?.callerId).toEqual(callerId);
  });

  it('a +CLCC line with a number but no type is rejected; the rest of the list is still used', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      // Call 1 is up; a second caller waits. The modem's list gives the waiting call's number without <type>.
      r.dce.addIncoming('+27821231234');
      r.dce.send('\r\nRING\r\n\r\n+CLIP: "+27821231234",145,,,,0\r\n');
      await r.advance(100);
      r.trunk.answer(offeredLegs(r)[0]!);
      await r.advance(100);
      r.dce.defineBehavior((cmd) =>
        cmd === 'AT+CLCC' ? '\r\n+CLCC: 1,1,0,0,0,"+27821231234",145\r\n\r\n+CLCC: 2,1,5,0,0,"+7913913ABCA"\r\n\r\nOK\r\n' : undefined,
      );
      await r.advance(4_500);
      return { calls: callSignals(r), line: r.lineEvents.filter((e) => e[1] !== 'health'), tracked: r.modem.calls.calls(), obs: observed(r) };
    });
    // The answered call stays up (its valid line matched); the bogus number never reaches anyone.
    expect(out.calls).toEqual(['offered:+27821231234', 'answered']);
    expect(out.tracked.map((c) => [c.callId, c.index, c.phase])).toEqual([['call-1', 1, 'active']]);
    expect(JSON.stringify(out.line)).not.toContain('ABCA');
  });

  it('a modem that always lists the call without <type> does not lose it: an incomplete list releases nothing', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      // chan_dongle test/parse.c: `+CLCC: 1,1,4,0,0,"+7913913ABCA"` — every answer about this call is invalid.
      r.dce.defineBehavior((cmd, dce) => {
        if (cmd !== 'AT+CLCC') return undefined;
        return dce.calls.map((c) => `\r\n+CLCC: ${c.index},1,${c.stat},0,0,"+7913913ABCA"\r\n`).join('') + '\r\nOK\r\n';
      });
      const index = r.dce.addIncoming('+7913913ABCA');
      r.dce.send('\r\nRING\r\n\r\n+CLIP: "+7913913ABCA",145\r\n');
      await r.advance(3_000); // rings through a grace-window and a poll-interval CLCC
      r.trunk.answer(offeredLegs(r)[0]!);
      await r.advance(10_000); // five more polls, all with the invalid line
      const whileUp = callSignals(r);
      r.dce.remoteHangup(index, '\r\nNO CARRIER\r\n');
      await r.advance(1_000);
      return { whileUp, calls: callSignals(r), obs: observed(r) };
    });
    expect(out.whileUp).toEqual(['offered:+7913913ABCA', 'answered']);
    expect(out.calls).toEqual(['offered:+7913913ABCA', 'answered', 'ended:remote']);
    expect(out.obs.written.match(/AT\+CLCC\r/g)!.length).toBeGreaterThanOrEqual(5);
  });
});


import { describe, expect, it } from 'vitest';
import type { Family } from '../profiles/ModemProfile.ts';
import { info } from '../testing/ScriptedDce.ts';
import { answeredCall, callSignals, createRig, inEverySplit, observed } from '../testing/modemRig.ts';

/**
 * Issue #9, "a control byte in the caller ID drops the call", at the façade.
 * Before the fix the decoder threw away the `+CLIP` with a BEL in the number
 * and then every `+CLCC` line of that call as baud-rate garbage, so the call
 * list looked empty and the call ended 0.3 s after the answer. Now lines with
 * a data prefix are decoded leniently (the control byte kept as `\x07`), and
 * an answer that lost a line to the decoder is never read as "no calls".
 */

/** A caller ID with a BEL in the middle, as the network presented it. */
const HOSTILE = '+27821\x07231234';
/** What reaches the core: the same number, the BEL escaped. */
const ESCAPED = '+27821\\x07231234';

describe('issue #9: a control byte in the caller ID', () => {
  it.each(['sim800', 'sim7600', 'quectel', 'huawei'] as Family[])(
    '%s: the call is offered with the number escaped, answered, and stays up',
    async (family) => {
      const out = await inEverySplit(async (mode) => {
        const r = createRig(mode, { family });
        await r.start();
        const { legId } = await answeredCall(r, HOSTILE);
        await r.advance(10_000); // five CLCC polls, each listing the call with the BEL in its number
        return {
          calls: callSignals(r),
          legId,
          tracked: r.modem.calls.calls().map((c) => [c.phase, c.callerId?.number]),
          discarded: r.atEvents.filter((e) => e[1] === 'discarded').length,
          obs: observed(r),
        };
      });
      expect(out.calls).toEqual([`offered:${ESCAPED}`, 'answered']);
      expect(out.tracked).toEqual([['active', ESCAPED]]);
      expect(out.discarded).toBe(0);
    },
  );

  it('an AT+CLCC answer whose call line was lost as garbage is not "no calls": the call stays up', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      const { index } = await answeredCall(r);
      // For 10 s the call's line arrives mangled beyond any prefix (noise in front of it): discarded.
      const until = r.clock.now() + 10_000;
      r.dce.defineBehavior((cmd, dce) => {
        if (cmd !== 'AT+CLCC' || r.clock.now() >= until) return undefined;
        const line = dce.clccAnswer().split('\r\n').find((l) => l.startsWith('+CLCC:'))!;
        return info(`\x01\x02${line}`);
      });
      await r.advance(12_000);
      const during = callSignals(r);
      r.dce.remoteHangup(index);
      await r.advance(5_000);
      return { during, after: callSignals(r), discarded: r.atEvents.filter((e) => e[1] === 'discarded').length };
    });
    expect(out.discarded).toBeGreaterThan(0);
    expect(out.during).toEqual(['offered:+27821231234', 'answered']);
    // A clean empty list still ends the call.
    expect(out.after).toEqual(['offered:+27821231234', 'answered', 'ended:remote']);
  });
});

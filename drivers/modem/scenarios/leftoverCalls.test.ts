import { describe, expect, it } from 'vitest';
import type { Family } from '../profiles/ModemProfile.ts';
import { answeredCall, callSignals, commandsWritten, createRig, inEverySplit, observed, offeredLegs, type Rig } from '../testing/modemRig.ts';
import type { DceCall } from '../testing/ScriptedDce.ts';

/**
 * Issue #9, item 5: after `kill -9` mid-call the caller stayed on the line,
 * hearing silence, and the line stayed busy. At process start the core knows
 * no modem call (its recovery closed them), so the first init lists the
 * modem's calls and releases every one before the trunk reports up. A re-init
 * later (reboot, recovery) keeps live calls.
 */

const leftover = (index: number, stat: DceCall['stat'], number: string): DceCall => ({ index, dir: 'in', stat, mpty: false, number, type: 145 });

/** The host's commands from `from` on, and when the trunk first reported up (index into those commands). */
function afterStart(r: Rig) {
  const cmds = commandsWritten(r.written());
  const upAt = r.signals.find(([, s]) => s.kind === 'health' && s.health.up)?.[0];
  const cmdsBeforeUp = r.tx.filter(([t]) => upAt === undefined || t <= upAt).map(([, c]) => c.trim());
  return { cmds, cmdsBeforeUp };
}

describe('item 5: calls left up by the previous process', () => {
  it.each(['sim800', 'quectel'] as Family[])('%s: an active call at start-up is hung up (AT+CLCC, AT+CHUP, AT+CLCC) before the trunk reports up', async (family) => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode, { family });
      r.dce.calls.push(leftover(1, 0, '+27821230001'));
      await r.start();
      const { cmds, cmdsBeforeUp } = afterStart(r);
      return {
        tail: cmdsBeforeUp.slice(-3),
        chups: cmds.filter((c) => c === 'AT+CHUP').length,
        dceCalls: r.dce.calls.length,
        core: callSignals(r),
        up: r.trunk.health().up,
        warned: r.logs.some((l) => l.msg === 'calls left up by the previous process: releasing them'),
        obs: observed(r),
      };
    });
    expect(out.tail).toEqual(['AT+CLCC', 'AT+CHUP', 'AT+CLCC']);
    expect(out.chups).toBe(1);
    expect(out.dceCalls).toBe(0);
    expect(out.core).toEqual([]); // never offered: the core's recovery already closed it
    expect(out.up).toBe(true);
    expect(out.warned).toBe(true);
  });

  it('an active and a held call: one AT+CHUP; refused, ATH instead', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      r.dce.calls.push(leftover(1, 1, '+27821230001'), leftover(2, 0, '+27821230002'));
      r.dce.replyOnce('AT+CHUP', '\r\n+CME ERROR: 3\r\n');
      await r.start();
      return { cmds: afterStart(r).cmdsBeforeUp.slice(-4), dceCalls: r.dce.calls.length, up: r.trunk.health().up, obs: observed(r) };
    });
    expect(out.cmds).toEqual(['AT+CLCC', 'AT+CHUP', 'ATH', 'AT+CLCC']);
    expect(out.dceCalls).toBe(0);
    expect(out.up).toBe(true);
  });

  it('a call ringing at start-up is spared (released one by one around it) and offered as a new call', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      r.dce.calls.push(leftover(1, 0, '+27821230001'), leftover(2, 5, '+27821239999'));
      await r.start();
      const before = afterStart(r).cmdsBeforeUp.slice(-3);
      // It rings on: RING, +CLIP; the core is offered it and answers it.
      r.dce.call(2)!.stat = 4;
      r.dce.send('\r\nRING\r\n\r\n+CLIP: "+27821239999",145,,,,0\r\n');
      await r.advance(100);
      const legId = offeredLegs(r).at(-1);
      if (legId) r.trunk.answer(legId);
      await r.advance(3_000);
      return { before, core: callSignals(r), dce: r.dce.calls.map((c) => [c.index, c.stat]), obs: observed(r) };
    });
    expect(out.before).toEqual(['AT+CLCC', 'AT+CHLD=11', 'AT+CLCC']);
    expect(out.core).toEqual(['offered:+27821239999', 'answered']);
    expect(out.dce).toEqual([[2, 0]]);
  });

  it('a caller who rang in during the first init and was answered is not hung up', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      // The init's last query is answered late; the caller rings meanwhile and the core answers (ATA jumps the queue).
      r.dce.replyOnce('AT+COPS?', null);
      r.dce.defineBehavior((cmd, dce) => {
        if (cmd === 'AT+COPS?') dce.sendAfter(3_000, '\r\n+COPS: 0,0,"TELE2"\r\n\r\nOK\r\n');
        return undefined;
      });
      await r.start();
      r.dce.addIncoming('+27821231234');
      r.dce.send('\r\nRING\r\n\r\n+CLIP: "+27821231234",145,,,,0\r\n');
      await r.advance(50);
      const legId = offeredLegs(r).at(-1);
      if (legId) r.trunk.answer(legId);
      const upDuringRing = r.trunk.health().up;
      await r.advance(5_000);
      return { upDuringRing, core: callSignals(r), cmds: commandsWritten(r.written()), dce: r.dce.calls.map((c) => c.stat), up: r.trunk.health().up, obs: observed(r) };
    });
    expect(out.upDuringRing).toBe(false); // still in the first init
    expect(out.core).toEqual(['offered:+27821231234', 'answered']);
    expect(out.cmds).not.toContain('AT+CHUP');
    expect(out.dce).toEqual([0]);
    expect(out.up).toBe(true);
  });

  it('a re-init after a reboot keeps a call answered meanwhile: no call check, no hang-up', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      r.dce.reboot();
      // Rung in and answered during the 2 s settle, before the re-init.
      await answeredCall(r);
      const from = r.written().length;
      await r.advance(5_000);
      const reinit = commandsWritten(r.written().slice(from));
      return { reinit, core: callSignals(r), dce: r.dce.calls.map((c) => c.stat), up: r.trunk.health().up, obs: observed(r) };
    });
    expect(out.reinit).toContain('ATE0');
    expect(out.reinit).not.toContain('AT+CHUP');
    expect(out.reinit).not.toContain('ATH');
    expect(out.core).toEqual(['offered:+27821231234', 'answered']);
    expect(out.dce).toEqual([0]);
    expect(out.up).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { answeredCall, callSignals, commandsWritten, createRig, inEverySplit, observed } from '../testing/modemRig.ts';

/**
 * gsm-modems.md §10 scenario 13 (P7, P13) at the façade: a SIM800 reboots in
 * the middle of a call and comes back with echo on.
 */

/** What a fresh SIM800 init writes (modem/initModem.ts with the sim800 profile, DTMF detection on). */
const SIM800_INIT = [
  'ATE0',
  'ATI',
  'AT+CGMI',
  'AT+CGMM',
  'AT+CGMR',
  'AT+CGSN',
  'AT+CPIN?',
  'ATE0',
  'AT+CMEE=1',
  'AT+CLIP=1',
  'AT+CRC=1',
  'AT+CMGF=0',
  'AT+CNMI=2,1,0,2,0',
  'AT+CREG=2',
  'AT+DDET=1,0,0',
  'AT+CREG?',
  'AT+CSQ',
  'AT+COPS?',
];

describe('scenario 13: reboot mid-call', () => {
  it('the call ends lineFailed, one reboot is counted, the whole init runs again from ATE0, the trunk comes back', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      const firstInit = commandsWritten(r.written());
      await answeredCall(r);
      await r.advance(500);
      const from = r.written().length;
      const callsBefore = callSignals(r).length;
      // The boot banner arrives while a CLCC poll may be due; echo is back on afterwards.
      r.dce.reboot();
      await r.advance(10_000);
      const healthSignals = r.core().filter((s) => s.kind === 'health');
      return {
        firstInit,
        afterReboot: callSignals(r).slice(callsBefore),
        lineEnded: r.lineEvents.filter((e) => e[1] === 'ended').map((e) => e.slice(2)),
        reboots: r.modem.supervisor.counters.snapshot().reboots,
        reinit: commandsWritten(r.written().slice(from)),
        state: r.modem.supervisor.machine.state,
        trunkUp: r.trunk.health().up,
        wentDown: healthSignals.some((s) => s.kind === 'health' && !s.health.up),
        lastHealth: healthSignals.at(-1),
        echoNow: r.dce.echo,
        unknownUrcs: r.modem.session.unknownUrcCount,
        obs: observed(r),
      };
    });
    // The first init of the process also lists calls left up by a previous process (none here).
    expect(out.firstInit).toEqual([...SIM800_INIT, 'AT+CLCC']);
    expect(out.afterReboot).toEqual(['ended:lineFailed']);
    expect(out.lineEnded).toEqual([['call-1', 'lineFailed']]);
    expect(out.reboots).toBe(1);
    // After the 2 s settle: the full init again, ATE0 first (the modem echoes again, P7); no start-up call check.
    expect(out.reinit).toEqual(SIM800_INIT);
    expect(out.echoNow).toBe(false);
    expect(out.state).toBe('ok');
    expect(out.wentDown).toBe(true);
    expect(out.trunkUp).toBe(true);
    expect(out.lastHealth).toMatchObject({ health: { up: true } });
    // The banner lines are known boot/SIM URCs, never unknown noise; echoes are never data.
    expect(out.unknownUrcs).toBe(0);
    expect(out.obs.atEvents.filter((e) => e[1] === 'failed')).toEqual([]);
  });

  it('a second call after the reboot is offered and answered normally', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      await answeredCall(r, '+27821231234');
      r.dce.reboot();
      await r.advance(10_000);
      await answeredCall(r, '+27821239999');
      await r.advance(3_000);
      return { calls: callSignals(r), obs: observed(r) };
    });
    expect(out.calls).toEqual(['offered:+27821231234', 'answered', 'ended:lineFailed', 'offered:+27821239999', 'answered']);
  });

  it('the banner instead of the answer to an in-flight AT+CLCC: the command fails "rebooted", nothing hangs', async () => {
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode);
      await r.start();
      await answeredCall(r);
      let rebootedAt = -1;
      r.dce.defineBehavior((cmd, dce) => {
        if (cmd !== 'AT+CLCC' || rebootedAt >= 0) return undefined;
        rebootedAt = r.clock.now();
        dce.reboot();
        return null;
      });
      await r.advance(12_000);
      return {
        rebootedAt,
        clccFailed: r.atEvents.filter((e) => e[1] === 'failed'),
        calls: callSignals(r),
        reboots: r.modem.supervisor.counters.snapshot().reboots,
        trunkUp: r.trunk.health().up,
        queued: r.modem.session.queued,
        obs: observed(r),
      };
    });
    expect(out.clccFailed).toEqual([[out.rebootedAt, 'failed', 'AT+CLCC', 'rebooted']]);
    expect(out.calls).toEqual(['offered:+27821231234', 'answered', 'ended:lineFailed']);
    expect(out.reboots).toBe(1);
    expect(out.trunkUp).toBe(true);
    expect(out.queued).toBe(0);
  });

  it('Quectel variant (RDY … +QUSIM: 1): one reboot, the Quectel init again', async () => {
    const banner = '\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\n+QUSIM: 1\r\n\r\n+QIND: SMS DONE\r\n';
    const out = await inEverySplit(async (mode) => {
      const r = createRig(mode, { family: 'quectel' });
      await r.start();
      const firstInit = commandsWritten(r.written());
      await answeredCall(r);
      const from = r.written().length;
      r.dce.reboot(banner);
      await r.advance(10_000);
      return {
        family: r.modem.family,
        firstInit,
        reinit: commandsWritten(r.written().slice(from)),
        calls: callSignals(r),
        reboots: r.modem.supervisor.counters.snapshot().reboots,
        trunkUp: r.trunk.health().up,
        obs: observed(r),
      };
    });
    expect(out.family).toBe('quectel');
    expect(out.calls).toEqual(['offered:+27821231234', 'answered', 'ended:lineFailed']);
    expect(out.reboots).toBe(1);
    expect(out.firstInit.at(-1)).toBe('AT+CLCC');
    expect(out.reinit).toEqual(out.firstInit.slice(0, -1));
    expect(out.reinit).toContain('AT+QTONEDET=1');
    expect(out.trunkUp).toBe(true);
  });
});


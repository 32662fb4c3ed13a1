import { describe, expect, it } from 'vitest';
import { ivrCore, testWorld } from './testWorld.ts';

const CALLER = { kind: 'number', number: '+989121234567' } as const;
const LEG = 'sim1:1';

describe('a caller ID that arrives late (CallerScript.lateCallerIdMs)', () => {
  it('offers the call as unavailable and sends the number as callerIdUpdated after the delay', () => {
    const { clock, net, trunk, t0 } = testWorld();
    net.addAgentPhone('agent/101');
    const core = ivrCore(clock, [trunk], { agent: 'agent/101' });
    const caller = net.placeCall({ callerId: CALLER, lateCallerIdMs: 2_000, talkMs: 10_000 });
    clock.advance(60_000);
    expect(core.names(LEG)).toEqual([
      'offered', 'answered', 'callerIdUpdated:+989121234567', 'playDone:welcome', 'connectResult:answered', 'bridgeEnded:caller', 'ended:remote',
    ]);
    expect(core.first('offered')).toMatchObject({ callerId: { kind: 'unavailable' } });
    expect(core.first('callerIdUpdated')).toEqual({ kind: 'callerIdUpdated', legId: LEG, callerId: CALLER });
    expect(core.timeOf('callerIdUpdated:+989121234567')! - t0).toBe(2_020);
    expect(caller.outcome).toBe('completed');
    expect(net.violations).toEqual([]);
  });

  it('a caller who leaves before the number is sent: no signal after ended, no timer left', () => {
    const { clock, net, trunk } = testWorld();
    const core = ivrCore(clock, [trunk], { agent: 'agent/101' });
    net.addAgentPhone('agent/101');
    net.placeCall({ callerId: CALLER, lateCallerIdMs: 5_000, hangupAfterMs: 1_000 });
    clock.advance(10_000);
    expect(core.names(LEG)).toEqual(['offered', 'answered', 'ended:remote']);
    expect(clock.pendingTimers('sim')).toEqual([]);
  });

  it('ignores the option for a withheld caller', () => {
    const { clock, net, trunk } = testWorld();
    const core = ivrCore(clock, [trunk], { agent: 'agent/101' });
    net.placeCall({ callerId: { kind: 'withheld' }, lateCallerIdMs: 1_000, hangupAfterMs: 3_000 });
    clock.advance(10_000);
    expect(core.names(LEG)).toEqual(['offered', 'answered', 'ended:remote']);
    expect(core.first('offered')).toMatchObject({ callerId: { kind: 'withheld' } });
  });
});

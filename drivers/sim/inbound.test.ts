import { beforeEach, describe, expect, it } from 'vitest';
import { FakeCore } from './fakeCore.ts';
import { ivrCore, testWorld } from './testWorld.ts';

beforeEach(() => {
  expect.hasAssertions();
});

const CALLER = { kind: 'number', number: '+989121234567' } as const;
const LEG = 'sim1:1';

describe('inbound call through a minimal core', () => {
  it('answer, prompt, connect, talk, caller hangs up: signals and timings', () => {
    const { clock, net, trunk, t0 } = testWorld();
    const agent = net.addAgentPhone('agent/101');
    const core = ivrCore(clock, [trunk], { agent: 'agent/101' });
    const caller = net.placeCall({ callerId: CALLER, talkMs: 60_000 });
    clock.advance(120_000);

    expect(core.names(LEG)).toEqual(['offered', 'answered', 'playDone:welcome', 'connectResult:answered', 'bridgeEnded:caller', 'ended:remote']);
    // latency 20 ms per signal; prompt 3 s; agent answers after 3 s; talk 60 s.
    expect(core.timeOf('offered')! - t0).toBe(20);
    expect(core.timeOf('answered')! - t0).toBe(40);
    expect(core.timeOf('playDone:welcome')! - t0).toBe(3_060);
    expect(core.timeOf('connectResult:answered')! - t0).toBe(6_080);
    expect(core.timeOf('bridgeEnded:caller')! - t0).toBe(66_080);
    expect(core.timeOf('ended:remote')! - t0).toBe(66_080);
    expect(core.first('offered')).toMatchObject({ channel: 1, callerId: CALLER, dialled: '100' });

    expect(caller.heard).toEqual(['welcome']);
    expect(caller.outcome).toBe('completed');
    expect(caller.bridgedWith).toBe('agent/101');
    expect(caller.connectedAt! - t0).toBe(6_060);
    expect(caller.waitMs).toBe(6_060);
    expect(agent.last).toMatchObject({ kind: 'connected', outcome: 'completed', bridgedWith: CALLER.number });
    expect(trunk.health().busyChannels).toBe(0);
    expect(net.violations).toEqual([]);
    expect(clock.pendingTimers('sim')).toEqual([]);
  });

  it('endBy agent: the leg stays up for the survey; barge-in digit then interrupted playDone', () => {
    const { clock, net, trunk, t0 } = testWorld();
    net.addAgentPhone('agent/101');
    const core = ivrCore(clock, [trunk], { agent: 'agent/101', survey: 'survey' });
    const caller = net.placeCall({ callerId: CALLER, talkMs: 10_000, endBy: 'agent', keys: { survey: '5' } });
    clock.advance(60_000);

    expect(core.names(LEG)).toEqual([
      'offered', 'answered', 'playDone:welcome', 'connectResult:answered',
      'bridgeEnded:agent', 'dtmf:5', 'playDone:survey!', 'ended:local',
    ]);
    // bridge ends at 16 060 (+20 delivered); survey starts at 16 080; key 1.5 s later.
    expect(core.timeOf('dtmf:5')! - t0).toBe(16_080 + 1_500 + 20);
    expect(caller.heard).toEqual(['welcome', 'survey']);
    expect(caller.pressed).toEqual(['5']);
    expect(caller.outcome).toBe('completed');
  });

  it('endBy agent and the gateway plays nothing: the caller hangs up after 30 s of dead air', () => {
    const { clock, net, trunk, t0 } = testWorld();
    net.addAgentPhone('agent/101');
    const core = ivrCore(clock, [trunk], { agent: 'agent/101' });
    net.placeCall({ callerId: CALLER, talkMs: 10_000, endBy: 'agent' });
    clock.advance(120_000);
    expect(core.names(LEG).slice(-2)).toEqual(['bridgeEnded:agent', 'ended:remote']);
    expect(core.timeOf('ended:remote')! - core.timeOf('bridgeEnded:agent')!).toBe(30_000);
    expect(core.timeOf('bridgeEnded:agent')! - t0).toBe(16_080);
  });

  it('endBy drop: bridgeEnded{line} then ended{lineFailed}', () => {
    const { clock, net, trunk } = testWorld();
    const agent = net.addAgentPhone('agent/101');
    const core = ivrCore(clock, [trunk], { agent: 'agent/101' });
    const caller = net.placeCall({ callerId: CALLER, talkMs: 10_000, endBy: 'drop' });
    clock.advance(60_000);
    expect(core.names(LEG).slice(-2)).toEqual(['bridgeEnded:line', 'ended:lineFailed']);
    expect(caller.outcome).toBe('dropped');
    expect(agent.last?.outcome).toBe('dropped');
    expect(net.stats.bridgeEndedByLine).toBe(1);
  });

  it.each([
    ['busy', { answer: 'busy' }, 'connectResult:busy', 3_060 + 1_000 + 20],
    ['fail', { answer: 'fail' }, 'connectResult:failed', 3_060 + 1_000 + 20],
    ['noAnswer', { answer: 'noAnswer' }, 'connectResult:noAnswer', 3_060 + 15_000 + 20],
    ['slow answer', { answerAfterMs: 20_000 }, 'connectResult:noAnswer', 3_060 + 15_000 + 20],
  ] as const)('agent %s', (_name, behaviour, expected, at) => {
    const { clock, net, trunk, t0 } = testWorld();
    const agent = net.addAgentPhone('agent/101', behaviour);
    const core = ivrCore(clock, [trunk], { agent: 'agent/101' });
    net.placeCall({ callerId: CALLER, patienceMs: 100_000 });
    clock.advance(30_000);
    expect(core.names(LEG)).toEqual(['offered', 'answered', 'playDone:welcome', expected]);
    expect(core.timeOf(expected)! - t0).toBe(at);
    expect(agent.last?.outcome).toBe(expected.split(':')[1]);
    expect(trunk.health().busyChannels).toBe(1); // the caller's leg only
  });

  it('unknown endpoint: connectResult failed at once; a phone re-scripted mid-test takes effect', () => {
    const { clock, net, trunk } = testWorld();
    const core = ivrCore(clock, [trunk], { agent: 'agent/999' });
    net.placeCall({ callerId: CALLER });
    clock.advance(10_000);
    expect(core.names(LEG).at(-1)).toBe('connectResult:failed');
    expect(core.timeOf('connectResult:failed')! - core.timeOf('playDone:welcome')!).toBe(20);

    const phone = net.addAgentPhone('agent/5', { answer: 'busy' });
    phone.setBehaviour({ answer: 'answer', answerAfterMs: 500 });
    trunk.connect(LEG, 'agent/5', { ringTimeoutMs: 5_000 });
    clock.advance(1_000);
    expect(core.names(LEG).at(-1)).toBe('connectResult:answered');
  });

  it('caller patience runs out while the agent rings: ended{remote}, no connectResult, ring canceled', () => {
    const { clock, net, trunk, t0 } = testWorld();
    const agent = net.addAgentPhone('agent/101', { answerAfterMs: 20_000 });
    const core = ivrCore(clock, [trunk], { agent: 'agent/101', ringTimeoutMs: 30_000 });
    const caller = net.placeCall({ callerId: CALLER, patienceMs: 10_000 });
    clock.advance(60_000);
    expect(core.names(LEG)).toEqual(['offered', 'answered', 'playDone:welcome', 'ended:remote']);
    expect(core.timeOf('ended:remote')! - t0).toBe(10_020);
    expect(caller.outcome).toBe('abandoned');
    expect(caller.waitMs).toBe(10_000);
    expect(agent.last?.outcome).toBe('canceled');
    expect(net.stats.abandoned).toBe(1);
    expect(trunk.health().busyChannels).toBe(0);
    expect(clock.pendingTimers('sim')).toEqual([]);
  });

  it('cancelConnect stops ringing silently; hangup during a bridge gives only ended{local}', () => {
    const { clock, net, trunk } = testWorld();
    const a1 = net.addAgentPhone('agent/1', { answerAfterMs: 10_000 });
    const a2 = net.addAgentPhone('agent/2', { answerAfterMs: 1_000 });
    const core = new FakeCore(clock, [trunk], (s, port) => {
      if (s.kind === 'offered') port.answer(s.legId);
      if (s.kind === 'answered') port.connect(s.legId, 'agent/1', { ringTimeoutMs: 30_000 });
    });
    net.placeCall({ callerId: CALLER });
    clock.advance(5_000);
    trunk.cancelConnect(LEG);
    trunk.connect(LEG, 'agent/2', { ringTimeoutMs: 30_000 });
    clock.advance(5_000);
    trunk.hangup(LEG);
    clock.advance(1_000);
    expect(core.names(LEG)).toEqual(['offered', 'answered', 'connectResult:answered', 'ended:local']);
    expect(a1.last?.outcome).toBe('canceled');
    expect(a2.last?.outcome).toBe('completed');
    expect(trunk.health().busyChannels).toBe(0);
  });

  it('hangupOnPrompt, successive key entries, say-values and their duration', () => {
    const { clock, net, trunk, t0 } = testWorld();
    const core = new FakeCore(clock, [trunk], (s, port) => {
      if (s.kind === 'offered') port.answer(s.legId);
      if (s.kind === 'answered') port.play(s.legId, { id: 'menu' });
      if (s.kind === 'playDone' && s.prompt === 'menu' && !s.interrupted) port.play(s.legId, { id: 'menu' });
      if (s.kind === 'dtmf' && s.digit === '2') port.play(s.legId, { id: 'queue-position', say: [{ kind: 'number', value: 7 }] });
      if (s.kind === 'playDone' && s.prompt === 'queue-position') port.play(s.legId, { id: 'bye' });
    });
    const caller = net.placeCall({ callerId: CALLER, keys: { menu: ['1', '2'] }, hangupOnPrompt: 'bye' });
    clock.advance(30_000);
    expect(caller.heard).toEqual(['menu', 'menu', 'queue-position:7', 'bye']);
    expect(caller.pressed).toEqual(['1', '2']);
    // 'menu' replays at 3 060 and is interrupted by queue-position at 3 060+1 500+20; that lasts 3 s + 1 s.
    expect(core.names(LEG)).toEqual(['offered', 'answered', 'dtmf:1', 'playDone:menu', 'dtmf:2', 'playDone:menu!', 'playDone:queue-position', 'ended:remote']);
    expect(core.timeOf('playDone:queue-position')! - core.timeOf('dtmf:2')!).toBe(4_000 + 20);
    expect(core.timeOf('ended:remote')! - t0).toBe(core.timeOf('playDone:queue-position')! - t0 + 20);
    expect(caller.outcome).toBe('abandoned');
  });

  it('hangupAfterMs during a bridge ends it as the caller; a caller left in dead air hangs up after 30 s', () => {
    const { clock, net, trunk, t0 } = testWorld();
    net.addAgentPhone('agent/101');
    const core = ivrCore(clock, [trunk], { agent: 'agent/101' });
    net.placeCall({ callerId: CALLER, talkMs: 60_000, hangupAfterMs: 20_000 });
    const second = net.placeCall({ callerId: { kind: 'withheld' } });
    clock.advance(60_000);
    expect(core.names(LEG).slice(-2)).toEqual(['bridgeEnded:caller', 'ended:remote']);
    expect(core.timeOf('ended:remote', LEG)! - t0).toBe(20_020);
    // the agent is on the first call, so the second caller gets 'busy', then silence
    expect(core.names('sim1:2')).toEqual(['offered', 'answered', 'playDone:welcome', 'connectResult:busy', 'ended:remote']);
    expect(core.timeOf('ended:remote', 'sim1:2')! - core.timeOf('connectResult:busy', 'sim1:2')!).toBe(30_000);
    expect(second).toMatchObject({ outcome: 'abandoned', address: 'withheld' });
  });

  it('afterBridge overrides apply once the agent left', () => {
    const { clock, net, trunk } = testWorld();
    net.addAgentPhone('agent/101');
    const core = ivrCore(clock, [trunk], { agent: 'agent/101' });
    net.placeCall({ callerId: CALLER, talkMs: 5_000, endBy: 'agent', afterBridge: { silenceHangupMs: 1_000 } });
    clock.advance(60_000);
    expect(core.names(LEG).slice(-2)).toEqual(['bridgeEnded:agent', 'ended:remote']);
    expect(core.timeOf('ended:remote')! - core.timeOf('bridgeEnded:agent')!).toBe(1_000);
  });

  it('a caller gives up while the gateway has not answered yet', () => {
    const { clock, net, trunk, t0 } = testWorld();
    const core = new FakeCore(clock, [trunk]);
    const caller = net.placeCall({ callerId: CALLER, patienceMs: 8_000 });
    clock.advance(10_000);
    expect(core.names()).toEqual(['offered', 'ended:remote']);
    expect(core.timeOf('ended:remote')! - t0).toBe(8_020);
    expect(caller).toMatchObject({ outcome: 'abandoned', answeredAt: null, waitMs: 8_000 });
  });
});

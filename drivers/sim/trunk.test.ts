import { beforeEach, describe, expect, it } from 'vitest';
import { FakeCore } from './fakeCore.ts';
import { ivrCore, testWorld } from './testWorld.ts';

beforeEach(() => {
  expect.hasAssertions();
});

const num = (n: number) => ({ kind: 'number', number: `+98912000000${n}` }) as const;

describe('channels', () => {
  it('inbound, dial and connect legs each hold a channel; dial on a full trunk gets noChannel', () => {
    const { clock, net, trunk } = testWorld({ channels: 2 });
    net.addAgentPhone('agent/1', { answerAfterMs: 1_000 });
    const core = new FakeCore(clock, [trunk], (s, port) => {
      if (s.kind === 'offered') port.answer(s.legId);
      if (s.kind === 'answered') port.connect(s.legId, 'agent/1', { ringTimeoutMs: 10_000 });
    });
    const first = net.placeCall({ callerId: num(1), talkMs: 60_000 });
    clock.advance(100); // answered, agent ringing: 2 channels busy
    expect(trunk.health().busyChannels).toBe(2);
    const second = net.placeCall({ callerId: num(2) });
    expect(second.outcome).toBe('blocked');
    const leg = trunk.dial({ number: '+989120000009', ringTimeoutMs: 10_000 });
    clock.advance(100);
    expect(core.names(leg)).toEqual(['dialResult:noChannel']);
    expect(net.stats).toMatchObject({ placed: 2, offered: 1, blocked: 1, dialled: 1, dialNoChannel: 1 });
    clock.advance(70_000);
    expect(first.outcome).toBe('completed');
    expect(trunk.health().busyChannels).toBe(0);
  });

  it('inbound calls go round-robin over trunks and are blocked only when all are full', () => {
    const { clock, net, trunk } = testWorld({ channels: 1 });
    const t2 = net.addTrunk('sim2', 1);
    const core = new FakeCore(clock, [trunk, t2]);
    const a = net.placeCall({ callerId: num(1) });
    const b = net.placeCall({ callerId: num(2) });
    const c = net.placeCall({ callerId: num(3) });
    const d = net.placeCall({ callerId: num(4), trunk: 'sim2' });
    clock.advance(100);
    expect([a.trunkId, b.trunkId, c.trunkId, d.outcome]).toEqual(['sim1', 'sim2', null, 'blocked']);
    expect(c.outcome).toBe('blocked');
    expect(core.names()).toEqual(['offered', 'offered']);
  });

  it("bridge 'sameLine' (a GSM modem): the agent rides on the caller's one channel", () => {
    const { clock, net } = testWorld({ channels: 1 });
    const modem = net.addTrunk('gsm1', 1, { bridge: 'sameLine' });
    net.addAgentPhone('agent/1', { answerAfterMs: 1_000 });
    const core = ivrCore(clock, [modem], { agent: 'agent/1' });
    const call = net.placeCall({ callerId: num(1), talkMs: 30_000, trunk: 'gsm1' });
    clock.advance(5_000);
    expect(core.names('gsm1:1')).toContain('connectResult:answered');
    expect(modem.health().busyChannels).toBe(1);
    clock.advance(60_000);
    expect(call.outcome).toBe('completed');
    expect(modem.health().busyChannels).toBe(0);
  });

  it('connect with no free channel fails', () => {
    const { clock, net, trunk } = testWorld({ channels: 1 });
    net.addAgentPhone('agent/1');
    const core = ivrCore(clock, [trunk], { agent: 'agent/1' });
    net.placeCall({ callerId: num(1) });
    clock.advance(5_000);
    expect(core.names('sim1:1').at(-1)).toBe('connectResult:failed');
  });
});

describe('barge-in', () => {
  for (const bargeIn of [true, false]) {
    it(`menu with bargeIn=${bargeIn}`, () => {
      const { clock, net, trunk, t0 } = testWorld();
      const core = new FakeCore(clock, [trunk], (s, port) => {
        if (s.kind === 'offered') port.answer(s.legId);
        if (s.kind === 'answered') port.play(s.legId, { id: 'menu' }, { bargeIn });
      });
      net.placeCall({ callerId: num(1), keys: { menu: '12' }, keyDelayMs: 1_000 });
      clock.advance(5_000);
      const expected = bargeIn ? ['dtmf:1', 'playDone:menu!', 'dtmf:2'] : ['dtmf:1', 'dtmf:2', 'playDone:menu'];
      expect(core.names().slice(2)).toEqual(expected);
      expect(core.timeOf('dtmf:1')! - t0).toBe(40 + 1_000 + 20);
      expect(core.timeOf('dtmf:2')! - core.timeOf('dtmf:1')!).toBe(200);
      if (bargeIn) expect(core.timeOf('playDone:menu!')).toBe(core.timeOf('dtmf:1'));
      trunk.stopPlay('sim1:1'); // nothing playing: no signal
      clock.advance(100);
      expect(core.names()).toHaveLength(5);
    });
  }
});

describe('dial', () => {
  it.each([
    ['answer', {}, 'dialResult:answered', 4_000],
    ['busy', { answer: 'busy' }, 'dialResult:busy', 1_000],
    ['fail', { answer: 'fail' }, 'dialResult:failed', 1_000],
    ['noAnswer', { answer: 'noAnswer' }, 'dialResult:noAnswer', 25_000],
    ['slow', { answerAfterMs: 26_000 }, 'dialResult:noAnswer', 25_000],
  ] as const)('subscriber %s', (_n, behaviour, expected, after) => {
    const { clock, net, trunk, t0 } = testWorld();
    const sub = net.addSubscriber('+989350000001', behaviour);
    const core = new FakeCore(clock, [trunk]);
    const leg = trunk.dial({ number: '+989350000001', ringTimeoutMs: 25_000 });
    expect(trunk.health().busyChannels).toBe(1);
    clock.advance(30_000);
    expect(core.names(leg)[0]).toBe(expected);
    expect(core.timeOf(expected)! - t0).toBe(after + 20);
    if (expected !== 'dialResult:answered') {
      expect(core.names(leg)).toHaveLength(1); // a failed dial is final: no `ended`
      expect(sub.last?.outcome).toBe(expected.split(':')[1]);
      expect(trunk.health().busyChannels).toBe(0);
    }
  });

  it('an unknown number reaches the default subscriber: listens to the prompt, hangs up 2 s after it', () => {
    const { clock, net, trunk, t0 } = testWorld();
    const core = new FakeCore(clock, [trunk], (s, port) => {
      if (s.kind === 'dialResult' && s.outcome === 'answered') port.play(s.legId, { id: 'campaign-options' });
    });
    const leg = trunk.dial({ number: '+989350000002', ringTimeoutMs: 25_000 });
    clock.advance(30_000);
    expect(core.names(leg)).toEqual(['dialResult:answered', 'playDone:campaign-options', 'ended:remote']);
    expect(core.timeOf('ended:remote')! - t0).toBe(4_000 + 20 + 3_000 + 2_000 + 20);
    expect(net.subscriber('+989350000002')?.last).toMatchObject({ heard: ['campaign-options'], outcome: 'abandoned' });
  });

  it('non-numbers are unknown endpoints; a number on a call is busy; hangup while dialling ends the leg', () => {
    const { clock, net, trunk } = testWorld();
    const core = new FakeCore(clock, [trunk], (s, port) => {
      if (s.kind === 'offered') port.answer(s.legId);
    });
    const unknown = trunk.dial({ number: 'agent/nobody', ringTimeoutMs: 25_000 });
    net.placeCall({ callerId: num(5) });
    const busy = trunk.dial({ number: num(5).number, ringTimeoutMs: 25_000 });
    const canceled = trunk.dial({ number: '+989350000003', ringTimeoutMs: 25_000 });
    clock.advance(500);
    trunk.hangup(canceled);
    clock.advance(5_000);
    expect(core.names(unknown)).toEqual(['dialResult:failed']);
    expect(core.names(busy)).toEqual(['dialResult:busy']);
    expect(core.names(canceled)).toEqual(['ended:local']);
    expect(net.subscriber('+989350000003')?.last?.outcome).toBe('canceled');
  });
});

describe('agent-first callback (customer is the connected party)', () => {
  for (const [endBy, expected] of [
    ['caller', ['dialResult:answered', 'playDone:callback-agent-intro', 'connectResult:answered', 'bridgeEnded:agent', 'ended:remote']],
    ['agent', ['dialResult:answered', 'playDone:callback-agent-intro', 'connectResult:answered', 'bridgeEnded:caller', 'ended:remote']],
    ['drop', ['dialResult:answered', 'playDone:callback-agent-intro', 'connectResult:answered', 'bridgeEnded:line', 'ended:lineFailed']],
  ] as const) {
    it(`customer endBy ${endBy}`, () => {
      const { clock, net, trunk, t0 } = testWorld();
      const agent = net.addAgentPhone('agent/7', { answerAfterMs: 2_000 });
      const customer = net.addSubscriber('+989121111111', { answerAfterMs: 5_000, talkMs: 40_000, endBy });
      const core = new FakeCore(clock, [trunk], (s, port) => {
        if (s.kind === 'dialResult' && s.outcome === 'answered') port.play(s.legId, { id: 'callback-agent-intro' });
        if (s.kind === 'playDone') port.connect(s.legId, '+989121111111', { ringTimeoutMs: 30_000 });
      });
      const leg = trunk.dial({ number: 'agent/7', ringTimeoutMs: 20_000 });
      clock.advance(120_000);
      expect(core.names(leg)).toEqual(expected);
      // agent answers at 2 s, intro 3 s, customer answers 5 s later, talks 40 s.
      expect(core.timeOf(expected[3])! - t0).toBe(2_000 + 20 + 3_000 + 20 + 5_000 + 40_000 + 20);
      if (endBy === 'caller') {
        // the gateway did not hang the agent leg up: the agent leaves after 30 s of dead air
        expect(core.timeOf('ended:remote')! - core.timeOf('bridgeEnded:agent')!).toBe(30_000);
      }
      expect(customer.last).toMatchObject({ kind: 'connected', bridgedWith: 'agent/7' });
      expect(agent.last).toMatchObject({ kind: 'dialled', heard: ['callback-agent-intro'], bridgedWith: '+989121111111' });
      expect(trunk.health().busyChannels).toBe(0);
    });
  }
});

describe('line failure', () => {
  it('ends every leg after a health signal; calls arriving while down are blocked; dial fails', () => {
    const { clock, net, trunk } = testWorld();
    net.addAgentPhone('agent/1', { answerAfterMs: 500 });
    const core = new FakeCore(clock, [trunk], (s, port) => {
      if (s.kind === 'offered' && s.legId === 'sim1:1') port.answer(s.legId);
      if (s.kind === 'answered') port.connect(s.legId, 'agent/1', { ringTimeoutMs: 10_000 });
    });
    const bridged = net.placeCall({ callerId: num(1) });
    clock.advance(2_000);
    const ringing = net.placeCall({ callerId: num(2) }); // sim1:2, never answered
    const dialling = trunk.dial({ number: '+989350000004', ringTimeoutMs: 25_000 });
    clock.advance(100);
    trunk.setHealth(false, 'LOS alarm');
    expect(net.placeCall({ callerId: num(3) }).outcome).toBe('blocked');
    const refused = trunk.dial({ number: '+989350000005', ringTimeoutMs: 25_000 });
    clock.advance(100);
    const tail = core.log.slice(-6).map((l) => `${l.signal.kind === 'health' ? '' : l.signal.legId} ${core.names().at(core.log.indexOf(l))}`);
    expect(tail).toEqual([
      ' health:down',
      'sim1:1 bridgeEnded:line',
      'sim1:1 ended:lineFailed',
      'sim1:2 ended:lineFailed',
      `${dialling} dialResult:failed`,
      `${refused} dialResult:failed`,
    ]);
    expect(trunk.health()).toEqual({ up: false, detail: 'LOS alarm', busyChannels: 0 });
    expect([bridged.outcome, ringing.outcome]).toEqual(['dropped', 'lineFailed']);
    trunk.setHealth(true, 'in service');
    expect(net.placeCall({ callerId: num(4) }).outcome).toBeNull();
  });
});

describe('contract enforcement', () => {
  it('records violations, tolerates commands on legs that already ended', () => {
    const { clock, net, trunk } = testWorld();
    const core = new FakeCore(clock, [trunk], (s, port) => {
      if (s.kind === 'offered') port.answer(s.legId);
    });
    net.placeCall({ callerId: num(1), hangupAfterMs: 1_000 });
    clock.advance(50);
    trunk.answer('sim1:1'); // twice
    trunk.hangup('sim1:99');
    clock.advance(2_000);
    trunk.play('sim1:1', { id: 'late' });
    expect(net.violations).toEqual(['sim1: answer(sim1:1) in state up', 'sim1: hangup(sim1:99): no such leg on this trunk']);
    expect(net.stats.lateCommands).toBe(1);
    expect(core.names('sim1:1')).toEqual(['offered', 'answered', 'ended:remote']);
  });
});

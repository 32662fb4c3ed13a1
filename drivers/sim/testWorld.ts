import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import type { TrunkPort, TrunkSignal } from '../../gateway/trunk/TrunkPort.ts';
import { FakeCore } from './fakeCore.ts';
import { SimNetwork, type SimNetworkOptions } from './SimNetwork.ts';
import type { SimTrunk } from './SimTrunk.ts';

/** A small simulated world for tests: one FakeClock, a seeded Random, a network and one trunk. */
export interface TestWorld {
  clock: FakeClock;
  net: SimNetwork;
  trunk: SimTrunk;
  /** Virtual time at creation. */
  t0: number;
}

export function testWorld(opts: { channels?: number; seed?: number } & Partial<Omit<SimNetworkOptions, 'clock' | 'random'>> = {}): TestWorld {
  const { channels = 4, seed = 7, ...rest } = opts;
  const clock = new FakeClock();
  const net = new SimNetwork({ clock, random: new SeededRandom(seed), ...rest });
  const trunk = net.addTrunk('sim1', channels);
  return { clock, net, trunk, t0: clock.now() };
}

export interface IvrCoreOptions {
  /** Endpoint to connect to after the welcome prompt. */
  agent: string;
  ringTimeoutMs?: number;
  /** Prompt played after the agent left (bridgeEnded{agent}); none = play nothing. */
  survey?: string;
}

/**
 * The simplest gateway: answer, play 'welcome', connect to one agent; after the
 * agent leaves play the survey with barge-in and hang up on the first digit.
 */
export function ivrCore(clock: FakeClock, ports: readonly TrunkPort[], o: IvrCoreOptions): FakeCore {
  return new FakeCore(clock, ports, (s: TrunkSignal, port) => {
    switch (s.kind) {
      case 'offered':
        return port.answer(s.legId);
      case 'answered':
        return port.play(s.legId, { id: 'welcome' });
      case 'playDone':
        if (s.prompt === 'welcome') port.connect(s.legId, o.agent, { ringTimeoutMs: o.ringTimeoutMs ?? 15_000 });
        return;
      case 'bridgeEnded':
        if (s.by === 'agent' && o.survey) port.play(s.legId, { id: o.survey }, { bargeIn: true });
        return;
      case 'dtmf':
        return port.hangup(s.legId);
      default:
        return;
    }
  });
}

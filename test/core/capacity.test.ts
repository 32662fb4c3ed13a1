import { describe, expect, it } from 'vitest';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { caller, makeWorld, siteYaml } from '../support/world.ts';

// Issue #8, defect 1: a callback at the head of its queue while an agent is
// ready but every line is busy must be dialled as soon as a line frees.

const QUEUES = `  flights:
    name: Flights
    wrapUpMs: 0
    announce: { everyMs: 0 }
    survey: { enabled: false }
    callback:
      offerAtPosition: 1
  trains:
    name: Trains
    wrapUpMs: 0
    announce: { everyMs: 0 }
    survey: { enabled: false }
  hotels: { name: Hotels }`;

const AGENTS = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }
  - { id: a3, endpoint: '+989120000003', queues: [trains] }`;

// Three one-line trunks stand for GSM modems: the agent is the modem's
// second call on the same line (`bridge: sameLine`), as on real hardware.
const SHAPES = {
  'one 3-channel trunk': `  - { id: t1, type: sim, channels: 3 }`,
  'three one-line modems': `  - { id: m1, type: sim, channels: 1, bridge: sameLine }
  - { id: m2, type: sim, channels: 1, bridge: sameLine }
  - { id: m3, type: sim, channels: 1, bridge: sameLine }`,
};

const CUSTOMER = '+989121230001';

describe('capacity: a callback waiting for a line', () => {
  for (const [shape, trunks] of Object.entries(SHAPES)) {
    it(`dials a callback stranded behind busy lines once a line frees (${shape})`, () => {
      const w = makeWorld(siteYaml({ queues: QUEUES, agents: AGENTS, trunks }));
      w.login('a1', 'a3');
      w.gw.agentPause('a1', 'Briefing');
      // Trains has its agent logged in but paused: its callers wait (and hold lines).
      w.gw.agentPause('a3', 'Lunch');
      const busyLines = () => w.net.trunks.reduce((n, t) => n + t.health().busyChannels, 0);
      const trainsCaller = (i: number) => caller(`+98912456000${i}`, { keys: { 'ivr-main': '2' }, patienceMs: 10 * 60_000 });

      const trains = [w.call(trainsCaller(1)), w.call(trainsCaller(2))];
      w.run(10_000);
      // The flights caller books a callback at position 1 and hangs up after the confirmation.
      const booker = w.call(caller(CUSTOMER, { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
      for (let t = 0; t < 120 && booker.live; t++) w.run(500);
      expect(booker.outcome).not.toBeNull();
      expect(w.ofType('callbackRequested')).toMatchObject([{ queue: 'flights', number: CUSTOMER }]);
      // A third trains caller takes the freed line at once: every line is busy.
      trains.push(w.call(trainsCaller(3)));
      expect(trains.map((c) => c.outcome)).toEqual([null, null, null]);
      w.run(5_000);
      expect(busyLines()).toBe(3);

      // The flights agent becomes ready while no line is free: nothing can be dialled yet.
      w.gw.agentUnpause('a1');
      w.run(60_000);
      expect(w.gw.snapshot().agents.find((a) => a.id === 'a1')!.state).toBe('available');
      expect(w.ofType('callbackDialled')).toHaveLength(0);
      expect(w.store.callbacks.active()).toMatchObject([{ status: 'pending', attempts: 0 }]);

      // The trains callers give up (patience 10 minutes): lines free, the callback goes out promptly.
      w.run(10 * 60_000);
      expect(w.ofType('queueExited').filter((e) => e.queue === 'trains' && e.reason === 'abandon')).toHaveLength(3);
      // The first line frees when the first of them hangs up (on the network side).
      const firstFree = Math.min(...trains.map((c) => c.endedAt!));
      const dialled = w.ofType('callbackDialled');
      expect(dialled).toHaveLength(1);
      // Agent-first: the agent answers (3 s) and hears the intro before the customer is dialled.
      const reserved = w.ofType('agentStateChanged').find((e) => e.agent === 'a1' && e.to === 'ringing' && e.at >= firstFree);
      expect(reserved).toBeDefined();
      expect(reserved!.at - firstFree).toBeLessThan(1_000);
      expect(dialled[0]!.at - firstFree).toBeLessThan(15_000);
      w.run(10 * 60_000);
      expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed', attempts: 1 }]);
      expect(w.ofType('queueConnected').filter((e) => e.queue === 'flights')).toMatchObject([{ agent: 'a1', kind: 'callback' }]);
      expect(w.net.violations).toEqual([]);
      expectConsistentLifecycles(w.events);
    });
  }
});

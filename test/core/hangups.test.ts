import { describe, expect, it } from 'vitest';
import type { CallerScript } from '../../drivers/sim/behaviours.ts';
import type { SimCaller } from '../../drivers/sim/SimParty.ts';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { caller, makeWorld, siteYaml, type World } from '../support/world.ts';

const AGENTS = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }`;
const QUEUES = `  flights:
    wrapUpMs: 5s
    ringTimeoutMs: 20s
    announce: { everyMs: 20s }
    callback: { offerAtPosition: 1 }
  trains: {}
  hotels: {}`;

type Step = {
  name: string;
  script: Omit<CallerScript, 'callerId'>;
  busyAgent: boolean;
  agentRingsLong?: boolean;
  /** For a timed hang-up: checked 100 ms before it, that the caller is where the step says. */
  reached?: (w: World, c: SimCaller) => void;
};

/** The menu prompt was heard to its end and the gateway is collecting the caller's digit. */
function inDigitWait(w: World, c: SimCaller): void {
  expect(c.outcome).toBeNull();
  expect(c.heard).toEqual(['ivr-main']);
  expect(c.pressed).toEqual([]);
  // The collector arms its first-digit timeout only once the prompt finished playing.
  expect(w.clock.pendingTimers('dtmf-collect')).toHaveLength(1);
  expect(w.ofType('ivrMenuEntered')).toMatchObject([{ menu: 'main' }]);
  expect(w.ofType('ivrInputInvalid')).toEqual([]);
  expect(w.ofType('ivrDigitsCollected')).toEqual([]);
}

const steps: Step[] = [
  { name: 'during the menu prompt', script: { hangupOnPrompt: 'ivr-main' }, busyAgent: false },
  { name: 'waiting for a digit', script: { hangupAfterMs: 5_500 }, busyAgent: false, reached: inDigitWait },
  { name: 'on hold in the queue', script: { keys: { 'ivr-main': '1' }, hangupOnPrompt: 'queue-hold' }, busyAgent: true },
  { name: 'during the position announcement', script: { keys: { 'ivr-main': '1', 'callback-offer': '' }, hangupOnPrompt: 'queue-position' }, busyAgent: true },
  { name: 'during the callback offer', script: { keys: { 'ivr-main': '1' }, hangupOnPrompt: 'callback-offer' }, busyAgent: true },
  { name: 'during the callback confirmation', script: { keys: { 'ivr-main': '1', 'callback-offer': '1' }, hangupOnPrompt: 'callback-confirmed' }, busyAgent: true },
  { name: 'while the agent rings', script: { keys: { 'ivr-main': '1' }, hangupAfterMs: 12_000 }, busyAgent: false, agentRingsLong: true },
  { name: 'during the survey', script: { keys: { 'ivr-main': '1' }, talkMs: 20_000, endBy: 'agent', hangupOnPrompt: 'survey-question' }, busyAgent: false },
];

describe('caller hangs up at every IVR and queue step', () => {
  it.each(steps)('$name', ({ name, script, busyAgent, agentRingsLong, reached }) => {
    const w = makeWorld(siteYaml({ queues: QUEUES, agents: AGENTS }));
    w.login('a1');
    if (agentRingsLong) w.net.agentPhone('+989120000001')!.setBehaviour({ answerAfterMs: 15_000 });
    if (busyAgent) w.call(caller('+989125550000', { keys: { 'ivr-main': '1' }, talkMs: 5 * 60_000 }));
    w.run(10_000);
    const c = w.call(caller('+989125550001', script));
    if (reached) {
      w.run(script.hangupAfterMs! - 100);
      reached(w, c);
    }
    w.run(30 * 60_000);
    expect(c.outcome, name).not.toBeNull();
    // The caller really reached the step named (hung up on hearing its prompt).
    if (script.hangupOnPrompt) expect(c.heard.some((h) => h.startsWith(script.hangupOnPrompt!))).toBe(true);
    expectConsistentLifecycles(w.events);
    // Nobody is left ringing or reserved, nothing is left waiting, no call leaks.
    const snap = w.gw.snapshot();
    expect(snap.agents[0]!.state).toBe('available');
    expect(snap.calls).toEqual([]);
    expect(snap.queues.flatMap((q) => q.waiting.filter((e) => e.kind === 'live'))).toEqual([]);
    expect(w.net.violations).toEqual([]);
    // A quiet gateway holds no timers: none leaked from the call's phases.
    expect(w.gw.pendingTimerCount).toBe(0);
    if (name.includes('confirmation')) {
      // The booking was committed before the confirmation: it survives the hang-up and is served.
      expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed' }]);
    }
    if (name.includes('rings')) expect(w.ofType('agentRingCanceled')).toHaveLength(1);
    if (name.includes('survey')) expect(w.ofType('surveyUnanswered')).toMatchObject([{ reason: 'hangup' }]);
    if (reached === inDigitWait) {
      // It ended there: no digit, no timeout, no queue.
      expect(c.pressed).toEqual([]);
      expect(w.ofType('ivrInputInvalid')).toEqual([]);
      expect(w.ofType('queueEntered')).toEqual([]);
      expect(w.ofType('callEnded')).toMatchObject([{ cause: 'caller' }]);
    }
  });
});

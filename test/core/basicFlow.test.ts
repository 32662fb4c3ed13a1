import { describe, expect, it } from 'vitest';
import { caller, makeWorld, siteYaml } from '../support/world.ts';

describe('inbound call through IVR, queue, agent and survey', () => {
  it('routes by DTMF, connects the longest-idle agent, and stores the survey score', () => {
    const w = makeWorld(siteYaml());
    w.login('a1', 'a2');
    w.run(1000);
    const c = w.call(caller('+989125550001', { keys: { 'ivr-main': '1', 'survey-question': '5' }, talkMs: 60_000, endBy: 'agent' }));
    w.run(5 * 60_000);
    const types = w.events.filter((e) => 'callId' in e && (e as { callId: string }).callId === w.ofType('callOffered')[0]!.callId).map((e) => e.type);
    expect(types).toEqual([
      'callOffered',
      'callAnswered',
      'ivrMenuEntered',
      'ivrDigitsCollected',
      'queueEntered',
      'agentRung',
      'queueConnected',
      'queueCompleted',
      'surveyOffered',
      'surveyAnswered',
      'callEnded',
    ]);
    expect(w.ofType('queueConnected')[0]!.agent).toBe('a1');
    expect(w.ofType('surveyAnswered')[0]!.score).toBe(5);
    expect(w.store.surveys.all()).toMatchObject([{ score: 5, agent: 'a1', queue: 'flights' }]);
    expect(c.heard).toContain('survey-question');
    expect(w.net.violations).toEqual([]);
  });
});

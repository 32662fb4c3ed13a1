import { describe, expect, it } from 'vitest';
import type { AgentState } from '../events.ts';
import { AGENT_TRANSITIONS, agentTransition, type AgentInput } from './agentMachine.ts';

const rows: Array<{ from: AgentState; input: AgentInput; to: AgentState | undefined }> = [
  { from: 'loggedOut', input: 'login', to: 'available' },
  { from: 'loggedOut', input: 'reserve', to: undefined },
  { from: 'available', input: 'reserve', to: 'ringing' },
  { from: 'available', input: 'pause', to: 'paused' },
  { from: 'ringing', input: 'answer', to: 'onCall' },
  { from: 'ringing', input: 'noAnswer', to: 'available' },
  { from: 'ringing', input: 'pause', to: undefined },
  { from: 'onCall', input: 'callEnd', to: 'wrapUp' },
  { from: 'onCall', input: 'logout', to: undefined },
  { from: 'wrapUp', input: 'wrapDone', to: 'available' },
  { from: 'paused', input: 'unpause', to: 'available' },
  { from: 'paused', input: 'reserve', to: undefined },
];

describe('agent state machine', () => {
  it.each(rows)('$from --$input--> $to', ({ from, input, to }) => {
    expect(agentTransition(from, input)).toBe(to);
  });
  it('every state can reach loggedOut except mid-call ones, which defer it', () => {
    const direct = Object.entries(AGENT_TRANSITIONS).filter(([, t]) => t.logout === 'loggedOut').map(([s]) => s);
    expect(direct.sort()).toEqual(['available', 'paused', 'wrapUp']);
  });
});

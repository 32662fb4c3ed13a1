import { describe, expect, it } from 'vitest';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { fsmRows, fsmStep } from '../../common/fsm.ts';
import { HealthMachine, healthTable, type HealthInput, type HealthState } from './healthMachine.ts';

const table = healthTable({ unresponsiveAfter: 3 });
const t = (consecutive: number): HealthInput => ({ kind: 'commandTimeout', consecutive });
const reg = (stat: number): HealthInput => ({ kind: 'registration', stat });
const k = <K extends HealthInput['kind']>(kind: K) => ({ kind }) as Extract<HealthInput, { kind: K }>;

/** One row per case: from, input, to. */
const rows: Array<[from: HealthState, input: HealthInput, to: HealthState]> = [
  ['starting', k('initDone'), 'ok'],
  ['starting', t(1), 'starting'],
  ['starting', t(3), 'unresponsive'],
  ['starting', k('commandOk'), 'starting'],
  ['starting', k('simMissing'), 'simMissing'],
  ['starting', k('baudMismatch'), 'baudMismatch'],
  ['starting', k('portClosed'), 'unresponsive'],
  ['starting', reg(1), 'starting'],
  ['ok', k('commandOk'), 'ok'],
  ['ok', t(1), 'degraded'],
  ['ok', t(3), 'unresponsive'],
  ['ok', k('probeFailed'), 'unresponsive'],
  ['ok', reg(1), 'ok'],
  ['ok', reg(5), 'ok'],
  ['ok', reg(2), 'notRegistered'],
  ['ok', reg(6), 'notRegistered'],
  ['ok', reg(9), 'notRegistered'],
  ['ok', k('simMissing'), 'simMissing'],
  ['ok', k('rebooted'), 'starting'],
  ['ok', k('portClosed'), 'unresponsive'],
  ['ok', k('baudMismatch'), 'baudMismatch'],
  ['ok', k('ladderStarted'), 'recovering'],
  ['degraded', k('commandOk'), 'ok'],
  ['degraded', t(2), 'degraded'],
  ['degraded', t(3), 'unresponsive'],
  ['degraded', reg(0), 'notRegistered'],
  ['degraded', reg(1), 'degraded'],
  ['degraded', k('rebooted'), 'starting'],
  ['unresponsive', k('ladderStarted'), 'recovering'],
  ['unresponsive', k('commandOk'), 'ok'],
  ['unresponsive', t(4), 'unresponsive'],
  ['unresponsive', k('portClosed'), 'unresponsive'],
  ['unresponsive', k('rebooted'), 'starting'],
  ['recovering', k('ladderSucceeded'), 'starting'],
  ['recovering', k('ladderExhausted'), 'dead'],
  ['recovering', k('rebooted'), 'recovering'],
  ['recovering', t(5), 'recovering'],
  ['recovering', k('portClosed'), 'recovering'],
  ['recovering', k('commandOk'), 'recovering'],
  // Retry passes and probes while dead do not cycle the state (issue #9); any answer ends it.
  ['dead', k('ladderStarted'), 'dead'],
  ['dead', k('ladderExhausted'), 'dead'],
  ['dead', k('ladderSucceeded'), 'starting'],
  ['dead', k('rebooted'), 'starting'],
  ['dead', { kind: 'signOfLife', initialised: true }, 'ok'],
  ['dead', { kind: 'signOfLife', initialised: false }, 'starting'],
  ['ok', { kind: 'signOfLife', initialised: true }, 'ok'],
  ['recovering', { kind: 'signOfLife', initialised: true }, 'recovering'],
  ['dead', k('commandOk'), 'dead'],
  ['dead', t(9), 'dead'],
  ['simMissing', k('simReady'), 'starting'],
  ['simMissing', k('simMissing'), 'simMissing'],
  ['simMissing', t(1), 'simMissing'],
  ['simMissing', t(3), 'unresponsive'],
  ['simMissing', reg(1), 'simMissing'],
  ['simMissing', k('rebooted'), 'starting'],
  ['notRegistered', reg(1), 'ok'],
  ['notRegistered', reg(5), 'ok'],
  ['notRegistered', reg(3), 'notRegistered'],
  ['notRegistered', t(1), 'notRegistered'],
  ['notRegistered', t(3), 'unresponsive'],
  ['notRegistered', k('simMissing'), 'simMissing'],
  ['baudMismatch', k('commandOk'), 'ok'],
  ['baudMismatch', k('initDone'), 'ok'],
  ['baudMismatch', k('probeFailed'), 'baudMismatch'],
  ['baudMismatch', k('ladderStarted'), 'recovering'],
];

describe('health state machine table', () => {
  it.each(rows)('%s + %o → %s', (from, input, to) => {
    expect(fsmStep(table, from, input).to).toBe(to);
  });

  it('the rows exercise every handler the table defines', () => {
    const covered = new Set(rows.map(([from, input]) => `${from}.${input.kind}`));
    const missing = fsmRows<HealthState, HealthInput>(table)
      .map((r) => `${r.state}.${r.kind}`)
      .filter((r) => !covered.has(r));
    // Rows not listed above are the shared ones ('common'); check they behave as documented.
    for (const r of missing) {
      const [state, kind] = r.split('.') as [HealthState, HealthInput['kind']];
      const to = fsmStep(table, state, kind === 'commandTimeout' ? t(1) : kind === 'registration' ? reg(1) : ({ kind } as HealthInput)).to;
      expect(to, r).toBe(({ probeFailed: 'unresponsive', ladderStarted: 'recovering', simMissing: 'simMissing', baudMismatch: 'baudMismatch', rebooted: 'starting', portClosed: 'unresponsive' } as Record<string, HealthState>)[kind]);
    }
  });

  it('unresponsiveAfter is configurable (1: the first timeout is fatal)', () => {
    expect(fsmStep(healthTable({ unresponsiveAfter: 1 }), 'ok', t(1)).to).toBe('unresponsive');
    expect(fsmStep(healthTable({ unresponsiveAfter: 5 }), 'degraded', t(4)).to).toBe('degraded');
  });
});

describe('HealthMachine', () => {
  it('walks scenario 5 (silent modem) and emits each change once, logged', () => {
    const { logger, records } = capturingLogger();
    const m = new HealthMachine({ logger, unresponsiveAfter: 3 });
    const seen: string[] = [];
    m.on('changed', (from, to) => seen.push(`${from}>${to}`));
    const inputs = [k('initDone'), t(1), t(2), t(3), k('ladderStarted'), k('rebooted'), k('ladderExhausted'), k('ladderStarted'), k('ladderExhausted'), k('ladderSucceeded'), k('initDone')];
    for (const input of inputs) m.send(input);
    // The retry pass while dead (ladderStarted, ladderExhausted) changes nothing; its success does.
    expect(seen).toEqual(['starting>ok', 'ok>degraded', 'degraded>unresponsive', 'unresponsive>recovering', 'recovering>dead', 'dead>starting', 'starting>ok']);
    expect(m.state).toBe('ok');
    expect(records.filter((r) => r.msg === 'modem health changed')).toHaveLength(7);
    expect(records.some((r) => r.msg === 'health input ignored in this state')).toBe(true);
  });

  it('reports responsiveness', () => {
    const m = new HealthMachine({ logger: capturingLogger().logger });
    expect(m.responsive).toBe(false);
    m.send(k('initDone'));
    expect(m.responsive).toBe(true);
    m.send(k('portClosed'));
    expect(m.responsive).toBe(false);
  });
});

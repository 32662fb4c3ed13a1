import { describe, expect, it } from 'vitest';
import { probation, trunkRegressions, type TrunkReading } from './health.ts';
import { recoveryAction, STEP_NAMES, STEPS } from './steps.ts';
import { parseShow, type ServiceState } from './systemctl.ts';

const up = (id: string): TrunkReading => ({ id, up: true });
const down = (id: string): TrunkReading => ({ id, up: false });
const active = (over: Partial<ServiceState> = {}): ServiceState => ({ activeState: 'active', subState: 'running', nRestarts: 0, mainPid: 100, ...over });

/** A probation in virtual time: `states` are what successive `systemctl show` calls return (the last repeats). */
function judge(states: ServiceState[], before: TrunkReading[] | null, after: TrunkReading[] | null) {
  let t = 0;
  let i = 0;
  return probation(
    {
      systemctl: { show: () => Promise.resolve(states[Math.min(i++, states.length - 1)]!) },
      readTrunks: () => Promise.resolve(after),
      now: () => t,
      sleep: (ms) => {
        t += ms;
        return Promise.resolve();
      },
    },
    { probationMs: 10_000, pollMs: 1_000, trunksBefore: before },
  );
}

describe('update health gates', () => {
  it('a trunk up before and down after is a regression; one already down may stay down', () => {
    expect(trunkRegressions([up('gsm1'), down('gsm2')], [up('gsm1'), down('gsm2')])).toEqual([]);
    expect(trunkRegressions([up('gsm1'), up('gsm2')], [up('gsm1'), down('gsm2')])).toEqual(['gsm2']);
    expect(trunkRegressions([up('gsm1')], [])).toEqual(['gsm1']);
  });

  it('passes a release that stays up with its trunks, naming a trunk already down', async () => {
    const v = await judge([active()], [up('gsm1'), down('gsm2')], [up('gsm1'), down('gsm2')]);
    expect(v).toEqual({ ok: true, detail: 'stayed up; 1/2 trunks up (already down before: gsm2)' });
  });

  it('fails a crash loop, a new main process, a service that went down, and a lost trunk', async () => {
    expect(await judge([active(), active(), active({ nRestarts: 1, mainPid: 101 })], [], [])).toMatchObject({ ok: false, reason: expect.stringContaining('crash loop') });
    expect(await judge([active(), active({ mainPid: 150 })], [], [])).toMatchObject({ ok: false, reason: expect.stringContaining('pid 100 -> 150') });
    expect(await judge([active(), active({ activeState: 'failed', subState: 'failed' })], [], [])).toMatchObject({ ok: false, reason: 'the service is failed (failed) during probation' });
    expect(await judge([active()], [up('gsm1')], [down('gsm1')])).toMatchObject({ ok: false, reason: expect.stringContaining('gsm1') });
    expect(await judge([active()], [up('gsm1')], null)).toMatchObject({ ok: false, reason: expect.stringContaining('does not answer') });
  });

  it('reads systemctl show output', () => {
    expect(parseShow('ActiveState=active\nSubState=running\nNRestarts=2\nMainPID=4242\n')).toEqual({ activeState: 'active', subState: 'running', nRestarts: 2, mainPid: 4242 });
    expect(() => parseShow('garbage')).toThrow(/ActiveState/);
  });
});

describe('update steps table', () => {
  it('every step but the last names its successor in order', () => {
    const order = STEP_NAMES.filter((s) => s !== 'rollback');
    order.forEach((s, i) => expect(STEPS[s].next).toBe(order[i + 1] ?? null));
  });

  it('recovery forgets an update that never touched the running release, undoes one past the switch, finishes a committed one', () => {
    expect(recoveryAction({ pending: null, step: null })).toBe('nothing');
    expect(recoveryAction({ pending: '1.1.0', step: 'prepare' })).toBe('forget');
    expect(recoveryAction({ pending: '1.1.0', step: 'save-config' })).toBe('forget');
    for (const s of ['switch', 'restart', 'probation', 'rollback'] as const) expect(recoveryAction({ pending: '1.1.0', step: s })).toBe('undo');
    expect(recoveryAction({ pending: null, step: 'commit' })).toBe('finish');
    // A hand-edited state file: switching back is always safe.
    expect(recoveryAction({ pending: '1.1.0', step: null })).toBe('undo');
    expect(recoveryAction({ pending: '1.1.0', step: 'verify' })).toBe('undo');
  });
});

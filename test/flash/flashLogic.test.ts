/** The flasher's pure parts: the fleet's state table and canary, the updater's lines and exit codes, unit specs. */
import { describe, expect, it } from 'vitest';
import { isFlashError } from '../../firmware/flash/FlashError.ts';
import { nextUnitState, runFleet, UNIT_TRANSITIONS, type FleetInput, type UnitState } from '../../firmware/flash/fleet.ts';
import type { UnitOutcome } from '../../firmware/flash/outcome.ts';
import { judgeRemote, parseUpdateLine, remoteCommandLine, type RemoteRequest } from '../../firmware/flash/remoteApply.ts';
import { parseHostSpec, parseUnitsFile } from '../../firmware/flash/targets.ts';

describe('fleet', () => {
  const rows: Array<{ from: UnitState; input: FleetInput; to: UnitState }> = [
    { from: 'waiting', input: 'start', to: 'running' },
    { from: 'waiting', input: 'halt', to: 'skipped' },
    { from: 'waiting', input: 'finish', to: 'waiting' },
    { from: 'running', input: 'finish', to: 'done' },
    { from: 'running', input: 'halt', to: 'running' },
    { from: 'done', input: 'halt', to: 'done' },
    { from: 'skipped', input: 'start', to: 'skipped' },
  ];
  it.each(rows)('$from --$input--> $to', ({ from, input, to }) => {
    expect(nextUnitState(from, input)).toBe(to);
  });
  it('has a row for every state', () => {
    expect(Object.keys(UNIT_TRANSITIONS).sort()).toEqual(['done', 'running', 'skipped', 'waiting']);
  });

  const units = Array.from({ length: 8 }, (_, i) => ({ name: `u${i + 1}` }));
  const outcome = (name: string, ok: boolean): UnitOutcome => ({ unit: name, from: '1', to: '2', result: ok ? 'installed' : 'rolled-back', ok, seconds: 0.1 });

  it('never runs more than --parallel units at once, and runs them all without a failure budget', async () => {
    let running = 0;
    let peak = 0;
    const r = await runFleet(units, { parallel: 3, maxFailures: Infinity }, async (u) => {
      peak = Math.max(peak, ++running);
      await new Promise((res) => setTimeout(res, 5));
      running--;
      return outcome(u.name, u.name !== 'u2');
    });
    expect(peak).toBe(3);
    expect(r.halted).toBe(false);
    expect(r.outcomes.map((o) => o.result)).toEqual(['installed', 'rolled-back', 'installed', 'installed', 'installed', 'installed', 'installed', 'installed']);
  });

  it('lets the units already running finish after the budget is spent, and starts no other', async () => {
    const started: string[] = [];
    const r = await runFleet(units, { parallel: 2, maxFailures: 1 }, async (u) => {
      started.push(u.name);
      await new Promise((res) => setTimeout(res, u.name === 'u1' ? 1 : 20));
      return outcome(u.name, u.name !== 'u1');
    });
    // u1 fails while u2 runs: u2 finishes, nothing after it starts.
    expect(started).toEqual(['u1', 'u2']);
    expect(r.halted).toBe(true);
    expect(r.outcomes.map((o) => o.result)).toEqual(['rolled-back', 'installed', ...Array<string>(6).fill('not attempted')]);
  });

  it('records a unit whose flash threw as failed, not as a crash of the rollout', async () => {
    const r = await runFleet([{ name: 'a' }], { parallel: 1, maxFailures: Infinity }, () => Promise.reject(new Error('boom')));
    expect(r.outcomes[0]).toMatchObject({ unit: 'a', result: 'failed', ok: false, reason: 'boom' });
  });
});

describe('the updater over SSH', () => {
  const apply: RemoteRequest = { remoteCcgate: 'env CCGATE_SYSTEMCTL=/x node /c/bin/ccgate.mjs', root: "/units/o'brien", action: { kind: 'apply', bundlePath: '/units/b.tar.gz', dryRun: false, probation: '2s' } };

  it('builds the command line with the prefix verbatim and every argument quoted for the shell', () => {
    expect(remoteCommandLine(apply)).toBe(`env CCGATE_SYSTEMCTL=/x node /c/bin/ccgate.mjs update apply /units/b.tar.gz --root '/units/o'\\''brien' --json --probation 2s`);
    expect(remoteCommandLine({ ...apply, action: { kind: 'rollback' } })).toBe(`env CCGATE_SYSTEMCTL=/x node /c/bin/ccgate.mjs update rollback --root '/units/o'\\''brien' --json`);
  });

  it('reads progress and result lines, and keeps other output as text', () => {
    expect(parseUpdateLine('{"step":"verify","status":"ok"}')).toEqual({ kind: 'progress', line: { step: 'verify', status: 'ok' } });
    expect(parseUpdateLine('{"result":"installed","from":null,"to":"0.2.0"}')).toEqual({ kind: 'result', line: { result: 'installed', from: null, to: '0.2.0' } });
    expect(parseUpdateLine('{"step":"dance","status":"ok"}').kind).toBe('other');
    expect(parseUpdateLine('node: warning').kind).toBe('other');
  });

  const installed = { result: 'installed' as const, from: '0.1.0', to: '0.2.0' };
  it.each([
    { result: installed, code: 0, ok: true },
    { result: { ...installed, result: 'rolled-back' as const }, code: 3, ok: true },
    { result: { ...installed, result: 'refused' as const }, code: 1, ok: true },
    { result: installed, code: 3, ok: false, err: 'REMOTE_PROTOCOL' },
    { result: null, code: 127, ok: false, err: 'REMOTE_FAILED' },
    { result: null, code: 1, ok: false, err: 'REMOTE_FAILED' },
    { result: null, code: null, ok: false, err: 'CONNECTION_LOST' },
  ])('result $result.result with exit $code', ({ result, code, ok, err }) => {
    const judge = (): unknown => judgeRemote(apply, result, { code, signal: null }, 'stderr tail\n');
    if (ok) expect(judge()).toEqual({ result, exitCode: code });
    else {
      let caught: unknown;
      try {
        judge();
      } catch (e) {
        caught = e;
      }
      expect(isFlashError(caught) && caught.code).toBe(err);
    }
  });
});

describe('units', () => {
  const d = { user: 'root', port: 22, root: '/' };
  it.each([
    ['unit7', { user: 'root', host: 'unit7', port: 22 }],
    ['tech@unit7:2222', { user: 'tech', host: 'unit7', port: 2222 }],
    ['[fd00::7]:2200', { user: 'root', host: 'fd00::7', port: 2200 }],
    ['fd00::7', { user: 'root', host: 'fd00::7', port: 22 }],
    ['unit7:ssh', null],
    ['@unit7', null],
  ])('%s', (spec, want) => {
    expect(parseHostSpec(spec, d)).toEqual(want);
  });

  it('reads a units file with comments, per-unit roots and errors naming the line', () => {
    const units = parseUnitsFile('# region north\nnorth-1 10.0.0.1  # the big branch\nnorth-2 tech@10.0.0.2:2222 /srv/unit\n', 'north.units', d);
    expect(units).toEqual([
      { name: 'north-1', user: 'root', host: '10.0.0.1', port: 22, root: '/' },
      { name: 'north-2', user: 'tech', host: '10.0.0.2', port: 2222, root: '/srv/unit' },
    ]);
    expect(() => parseUnitsFile('a 10.0.0.1\na 10.0.0.2\n', 'f', d)).toThrow('f:2: unit "a" is already on line 1');
    expect(() => parseUnitsFile('a 10.0.0.1 relative\n', 'f', d)).toThrow('f:1: the unit root must be an absolute path');
  });
});

/**
 * `ccgate run --config FILE` with a configuration that cannot run: the daemon
 * must refuse at once, naming the file, the key path and what was expected.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeResult, runCli, useScratchDir, type CliResult } from './helpers.ts';

const scratch = useScratchDir();

/** Write `lines` to dir/name and run `ccgate run --config` on it (relative path, cwd = dir). */
async function runWith(name: string, lines: string[]): Promise<CliResult> {
  writeFileSync(join(scratch(), name), lines.join('\n') + '\n');
  return runCli(['run', '--config', name], { cwd: scratch(), timeoutMs: 10_000 });
}

/** Every config error: exit 1 (never hangs: the timeout guards it), one `error [CONFIG_INVALID]` line naming the file, no stack trace, no daemon output. */
function expectConfigError(r: CliResult, file: string): void {
  expect(r.timedOut, describeResult(r)).toBe(false);
  expect(r.code, describeResult(r)).toBe(1);
  expect(r.stderr).toMatch(new RegExp(`^error \\[CONFIG_INVALID\\]: ${escape(join(scratch(), file))}: invalid configuration$`, 'm'));
  expect(r.stderr, 'no stack trace').not.toMatch(/^\s+at /m);
  expect(r.stdout, 'the daemon never started').not.toContain('daemon started');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const QUEUES = ['queues:', '  sales: {name: Sales}', '  support: {name: Support}'];

describe('ccgate run: configuration errors', () => {
  it('a wrong key type names the file, the key path, the expectation and the line', async () => {
    const r = await runWith('bad-type.yaml', [...QUEUES, '  vip-line:', '    weight: heavy', 'store: {path: ./var/x.db}']);
    expectConfigError(r, 'bad-type.yaml');
    expect(r.stderr).toMatch(/^ {2}queues\.vip-line\.weight: expected a whole number ≥ 0, got 'heavy' \(at .*bad-type\.yaml:5:13\)$/m);
  });

  it('an unknown queue reference names the key path and the known queues', async () => {
    const r = await runWith('bad-ref.yaml', [...QUEUES, 'agents:', "  - {id: a1, endpoint: '+989120000001', queues: [sales, billing]}"]);
    expectConfigError(r, 'bad-ref.yaml');
    expect(r.stderr).toMatch(/^ {2}agents\[0\]\.queues\[1\]\.queue: unknown queue 'billing' \(known: sales, support\) \(at .*bad-ref\.yaml:5:\d+\)$/m);
  });

  it('a file with a wrong key type and an unknown queue reference reports the shape first, then the reference', async () => {
    const r = await runWith('bad-both.yaml', [
      'queues:',
      '  sales: {name: Sales}',
      '  support:',
      '    ringTimeoutMs: [1, 2]',
      'agents:',
      "  - {id: a1, endpoint: '+989120000001', queues: [sales, billing]}",
    ]);
    expectConfigError(r, 'bad-both.yaml');
    expect(r.stderr).toMatch(/^ {2}queues\.support\.ringTimeoutMs: expected a duration > 0.*got a list/m);
    // Cross-references are checked once every section has the right shape
    // (they need the parsed names): all shape errors first, all reference errors next.
    const fixed = await runWith('bad-both-fixed.yaml', ['queues:', '  sales: {name: Sales}', '  support:', '    ringTimeoutMs: 15s', 'agents:', "  - {id: a1, endpoint: '+989120000001', queues: [sales, billing]}"]);
    expectConfigError(fixed, 'bad-both-fixed.yaml');
    expect(fixed.stderr).toMatch(/^ {2}agents\[0\]\.queues\[1\]\.queue: unknown queue 'billing'/m);
  });

  it('a YAML syntax error names the file and the line', async () => {
    const r = await runWith('bad-syntax.yaml', [...QUEUES, 'agents: [{id: a1, endpoint: "+98912", queues: [sales]']);
    expectConfigError(r, 'bad-syntax.yaml');
    expect(r.stderr).toMatch(/valid YAML: .*\(at .*bad-syntax\.yaml:\d+:\d+\)/);
  });

  it('a missing file is CONFIG_NOT_FOUND with the absolute path', async () => {
    const r = await runCli(['run', '--config', 'nope.yaml'], { cwd: scratch(), timeoutMs: 10_000 });
    expect(r.code, describeResult(r)).toBe(1);
    expect(r.stderr).toBe(`error [CONFIG_NOT_FOUND]: configuration file not found: ${join(scratch(), 'nope.yaml')}\n`);
  });

  it('`run` without --config is a usage error (exit 2) showing the run help', async () => {
    const r = await runCli(['run'], { cwd: scratch(), timeoutMs: 10_000 });
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain('missing --config FILE');
    expect(r.stderr).toContain('Usage: ccgate run --config FILE');
  });
});

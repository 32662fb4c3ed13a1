#!/usr/bin/env node
/**
 * A scripted stand-in for `ccgate update` on a unit, for the flasher's
 * transport and fleet tests (the real updater is tested end to end
 * elsewhere). Run over SSH as `node scriptedUpdater.mjs update apply BUNDLE
 * --root DIR --json [...]` or `... update rollback --root DIR --json`, it
 * speaks the contract's JSON lines and exit codes:
 *   <root>/scripted-update.json  {"from": "0.1.0", "outcome": "installed"|"rolled-back"|"refused"|"dry-run",
 *                                 "reason"?: "...", "code"?: "...", "delayMs"?: n}
 * and appends what it saw (arguments, the bundle's size and sha256) to
 * <root>/scripted-update.log, so a test can check the bundle arrived whole.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const root = flag('--root');
if (args[0] !== 'update' || root === undefined || !args.includes('--json')) {
  process.stderr.write(`scriptedUpdater: unexpected arguments ${JSON.stringify(args)}\n`);
  process.exit(2);
}
const action = args[1];
const script = JSON.parse(readFileSync(join(root, 'scripted-update.json'), 'utf8'));
const line = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const delay = (ms) => new Promise((r) => setTimeout(r, ms));

const bundle = action === 'apply' ? args[2] : undefined;
const seen = { action, args };
if (bundle !== undefined) {
  if (!existsSync(bundle)) {
    line({ step: 'verify', status: 'failed', detail: `no such file ${bundle}` });
    line({ result: 'refused', from: script.from, to: null, reason: `no such file ${bundle}`, code: 'BUNDLE_UNREADABLE' });
    process.exit(1);
  }
  const bytes = readFileSync(bundle);
  seen.size = bytes.length;
  seen.sha256 = createHash('sha256').update(bytes).digest('hex');
}
appendFileSync(join(root, 'scripted-update.log'), JSON.stringify(seen) + '\n');

const to = script.to ?? '0.2.0';
const outcome = action === 'rollback' ? 'rolled-back' : args.includes('--dry-run') ? 'dry-run' : script.outcome;
line({ step: 'verify', status: 'start' });
await delay(script.delayMs ?? 0);
line({ step: 'verify', status: 'ok' });
switch (outcome) {
  case 'installed':
    for (const step of ['unpack', 'preflight', 'switch', 'restart', 'probation', 'commit']) line({ step, status: 'ok' });
    line({ result: 'installed', from: script.from, to });
    process.exit(0);
    break;
  case 'dry-run':
    line({ step: 'preflight', status: 'ok' });
    line({ result: 'dry-run', from: script.from, to });
    process.exit(0);
    break;
  case 'refused':
    line({ result: 'refused', from: script.from, to, reason: script.reason ?? 'refused', code: script.code ?? 'UNTRUSTED_KEY' });
    process.exit(1);
    break;
  case 'rolled-back':
    for (const step of ['unpack', 'preflight', 'switch', 'restart']) line({ step, status: 'ok' });
    if (action === 'apply') line({ step: 'probation', status: 'failed', detail: script.reason ?? 'crash loop' });
    line({ step: 'rollback', status: 'ok' });
    line({ result: 'rolled-back', from: action === 'rollback' ? script.from : script.from, to: action === 'rollback' ? (script.previous ?? '0.0.9') : to, reason: script.reason ?? 'probation failed', code: script.code ?? 'PROBATION_FAILED' });
    process.exit(action === 'rollback' ? 0 : 3);
    break;
  default:
    process.stderr.write(`scriptedUpdater: unknown outcome ${outcome}\n`);
    process.exit(2);
}

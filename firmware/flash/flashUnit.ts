/**
 * One unit from start to finish: connect (host key pinned), upload the bundle
 * with resume, run the updater there, and turn whatever happened into one
 * summary row. Never throws: a failure is an outcome, so the fleet can count it.
 */
import { unitPaths } from '../release/unitPaths.ts';
import { SshLink, type SshOptions, type UnitTarget } from './connect.ts';
import { isFlashError } from './FlashError.ts';
import { isSuccess, type FlashMode, type UnitOutcome } from './outcome.ts';
import { runRemote, type RemoteAction, type UpdateLine } from './remoteApply.ts';
import { uploadBundle, type LocalBundle, type UploadEvent, type UploadOptions } from './upload.ts';

export interface FlashPlan {
  mode: FlashMode;
  /** The bundle to send (null for --rollback). */
  bundle: LocalBundle | null;
  /** The bundle's version read from its manifest on the laptop, shown as `to` until the unit answers. */
  bundleVersion: string | null;
  remoteCcgate: string;
  probation: string | null;
  ssh: SshOptions;
  upload: UploadOptions;
}

/** A progress line for the technician, e.g. `unit-3: upload 50% (1.0 of 2.0 MB)`. */
export type Report = (unit: string, text: string) => void;

export async function flashUnit(target: UnitTarget, plan: FlashPlan, report: Report): Promise<UnitOutcome> {
  const started = performance.now();
  const link = new SshLink(target, plan.ssh);
  const row: UnitOutcome = { unit: target.name, from: null, to: plan.bundleVersion, result: 'failed', ok: false, seconds: null };
  const say = (text: string): void => report(target.name, text);
  try {
    let action: RemoteAction = { kind: 'rollback' };
    if (plan.bundle) {
      const up = await uploadBundle(link, plan.bundle, unitPaths(target.root).incoming, plan.upload, uploadReporter(plan.bundle, say));
      row.bytesSent = up.bytesSent;
      row.uploadAttempts = up.attempts;
      action = { kind: 'apply', bundlePath: up.remotePath, dryRun: plan.mode === 'dry-run', probation: plan.probation };
    }
    const client = await link.client();
    const outcome = await runRemote(client, { remoteCcgate: plan.remoteCcgate, root: target.root, action }, (line) => {
      const text = describe(line);
      if (text !== null) say(text);
    });
    const r = outcome.result;
    Object.assign(row, { from: r.from, to: r.to ?? row.to, result: r.result, ok: isSuccess(plan.mode, r.result) });
    if (r.code !== undefined) row.code = r.code;
    if (r.reason !== undefined) row.reason = r.reason;
    say(`${r.result}${r.reason ? `: ${r.reason}` : ''}`);
  } catch (e) {
    row.result = isFlashError(e, 'CONNECTION_LOST') ? 'unknown' : 'failed';
    row.code = isFlashError(e) ? e.code : 'INTERNAL';
    row.reason = e instanceof Error ? e.message : String(e);
    say(`${row.result}: ${row.reason}`);
  } finally {
    link.close();
    row.seconds = (performance.now() - started) / 1000;
  }
  return row;
}

/** Upload progress in quarters, so ten units in parallel do not flood the terminal. */
function uploadReporter(bundle: LocalBundle, say: (t: string) => void): (e: UploadEvent) => void {
  let shown = -1;
  const mb = (n: number): string => (n / 1e6).toFixed(1);
  return (e) => {
    switch (e.kind) {
      case 'present':
        say(`${bundle.name} is already on the unit (sha256 matches): not sent again`);
        return;
      case 'attempt':
        if (e.attempt === 1 && e.offset === 0) say(`upload ${bundle.name} (${mb(bundle.size)} MB)`);
        else {
          const where = e.offset === 0 ? 'from the start' : `resuming at ${mb(e.offset)} of ${mb(bundle.size)} MB`;
          say(`upload attempt ${e.attempt} of ${e.of}: ${where}${e.error ? ` after: ${e.error}` : ''}`);
        }
        return;
      case 'progress': {
        const quarter = Math.floor((4 * e.sent) / e.size);
        if (quarter > shown && quarter < 4) {
          shown = quarter;
          say(`upload ${quarter * 25}% (${mb(e.sent)} of ${mb(e.size)} MB)`);
        }
        return;
      }
      case 'verified':
        say(`uploaded, sha256 on the unit matches (${e.sha256.slice(0, 16)}…)`);
        return;
    }
  };
}

/** A progress line as text; null for the result line (reported once, after the exit code is checked). */
function describe(line: UpdateLine): string | null {
  switch (line.kind) {
    case 'progress':
      return `${line.line.step} ${line.line.status}${line.line.detail ? `: ${line.line.detail}` : ''}`;
    case 'result':
      return null;
    case 'other':
      return `unit says: ${line.text}`;
  }
}

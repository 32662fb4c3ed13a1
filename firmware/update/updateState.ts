/**
 * opt/ccgate/update-state.json: what an update in progress needs to be
 * finished or undone after a crash (steps.ts). Written tmp + fsync + rename +
 * fsync of the folder, so a power cut leaves the old or the new state, never
 * a torn file. `startedAt` is informative only: nothing compares it with a
 * clock (the unit's clock may be wrong).
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../release/atomicFile.ts';
import { STEP_NAMES, type Step } from './steps.ts';
import { UpdateError } from './UpdateError.ts';

export interface UpdateState {
  /** The release being installed and not yet judged healthy, or null. */
  pending: string | null;
  /** The release to go back to (`previous` link). */
  previous: string | null;
  /** Service starts of the pending release (update boot-attempt counts them). */
  attempts: number;
  /** When the pending update began, by the unit's clock (informative only). */
  startedAt: string | null;
  /** The step begun last (steps.ts); null when nothing is in progress. */
  step: Step | null;
  /**
   * Beyond the shared contract's fields: where `previous` pointed before this update, so an undo
   * leaves `previous` as it was (a failed release is never a rollback target).
   */
  prior: string | null;
  /** Why the last update was undone, for `update status`. */
  lastRollback: string | null;
  /** Releases to keep (`--keep`), so a commit a crash interrupted is finished alike. */
  keep: number | null;
}

export const EMPTY_STATE: UpdateState = { pending: null, previous: null, attempts: 0, startedAt: null, step: null, prior: null, lastRollback: null, keep: null };

export function readState(path: string): UpdateState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ...EMPTY_STATE };
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw invalid(path, '(root)', 'JSON', e);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(path, '(root)', 'an object');
  const o = raw as Record<string, unknown>;
  const version = (key: string): string | null => {
    const v = o[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string' || v === '') throw invalid(path, key, 'a version or null');
    return v;
  };
  const attempts = o.attempts ?? 0;
  if (typeof attempts !== 'number' || !Number.isSafeInteger(attempts) || attempts < 0) throw invalid(path, 'attempts', 'an integer >= 0');
  const step = o.step ?? null;
  if (step !== null && !(STEP_NAMES as readonly unknown[]).includes(step)) throw invalid(path, 'step', `one of ${STEP_NAMES.join(', ')} or null`);
  const lastRollback = o.lastRollback ?? null;
  return {
    pending: version('pending'),
    previous: version('previous'),
    attempts,
    startedAt: typeof o.startedAt === 'string' ? o.startedAt : null,
    step: step as Step | null,
    prior: version('prior'),
    lastRollback: typeof lastRollback === 'string' ? lastRollback : null,
    keep: typeof o.keep === 'number' && Number.isSafeInteger(o.keep) && o.keep >= 2 ? o.keep : null,
  };
}

export function writeState(path: string, state: UpdateState): void {
  writeFileAtomic(path, JSON.stringify(state, null, 2) + '\n');
}

/**
 * Read, change and write back: `update boot-attempt` (run by the service start an apply asked for)
 * may have counted an attempt since the apply last wrote the file.
 */
export function patchState(path: string, patch: Partial<UpdateState>): UpdateState {
  const next = { ...readState(path), ...patch };
  writeState(path, next);
  return next;
}

function invalid(path: string, key: string, expected: string, cause?: unknown): UpdateError {
  return new UpdateError('STATE_INVALID', `${path}: ${key}: expected ${expected}`, { file: path, key }, { cause });
}

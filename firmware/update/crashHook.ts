/**
 * TEST ONLY: `CCGATE_UPDATE_CRASH_AT=<step>` makes the updater kill itself
 * with SIGKILL when it reaches that step (steps.ts names them), as a power
 * cut or `kill -9` would. The crash tests use it to prove that every step
 * is resumable; nothing on a unit sets it.
 */
import { STEP_NAMES, type Step } from './steps.ts';

export type CrashHook = (step: Step) => void;

export function crashHookFrom(env: Readonly<Record<string, string | undefined>>): CrashHook {
  const at = env.CCGATE_UPDATE_CRASH_AT;
  if (at === undefined || at === '') return () => {};
  if (!(STEP_NAMES as readonly string[]).includes(at)) throw new Error(`CCGATE_UPDATE_CRASH_AT: expected one of ${STEP_NAMES.join(', ')}, got ${JSON.stringify(at)}`);
  return (step) => {
    if (step === at) process.kill(process.pid, 'SIGKILL');
  };
}

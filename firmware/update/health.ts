/**
 * The health gates after a switch (docs/releases.md "Updating a unit"):
 * gate 1 is the restart itself (with Type=notify it returns after READY=1);
 * gate 2 is the probation: for its whole length the service stays active,
 * restarts no more (NRestarts and MainPID unchanged: no crash loop), and at
 * its end no trunk is worse than before the switch (a trunk that was up is
 * up; one already down may stay down, so a branch with a dead modem can
 * still update). Trunks are judged at the end, not on every poll: a modem
 * restarted with the daemon needs seconds to register again.
 *
 * Time is measured with the monotonic clock the caller passes
 * (performance.now on a unit), never the wall clock, which may be wrong or
 * stepped by NTP in the middle of a probation.
 */
import type { ServiceState, Systemctl } from './systemctl.ts';

export interface TrunkReading {
  id: string;
  up: boolean;
}

/** The ids of trunks that were up before and are not up now (gone counts as down). */
export function trunkRegressions(before: readonly TrunkReading[], now: readonly TrunkReading[]): string[] {
  const upNow = new Set(now.filter((t) => t.up).map((t) => t.id));
  return before.filter((t) => t.up && !upNow.has(t.id)).map((t) => t.id);
}

export interface ProbationDeps {
  systemctl: Pick<Systemctl, 'show'>;
  /** The daemon's trunks from its API, or null when it does not answer. */
  readTrunks(): Promise<TrunkReading[] | null>;
  /** Monotonic milliseconds (performance.now). */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Called after each poll, for progress lines. */
  onPoll?(state: ServiceState, leftMs: number): void;
}

export interface ProbationOptions {
  probationMs: number;
  /** Between two looks at the service (ms). */
  pollMs: number;
  /** The trunks before the switch; null when the old daemon did not answer (nothing to compare with). */
  trunksBefore: readonly TrunkReading[] | null;
}

export type Verdict = { ok: true; detail: string } | { ok: false; reason: string };

/** Whether the service is running (gate 1 passed and it did not fall over since). */
export function serviceDown(s: ServiceState): string | null {
  return s.activeState === 'active' ? null : `the service is ${s.activeState}${s.subState ? ` (${s.subState})` : ''}`;
}

export async function probation(deps: ProbationDeps, opts: ProbationOptions): Promise<Verdict> {
  const first = await deps.systemctl.show();
  const down = serviceDown(first);
  if (down !== null) return { ok: false, reason: `${down} right after its restart` };
  const end = deps.now() + opts.probationMs;
  for (;;) {
    const left = end - deps.now();
    if (left <= 0) break;
    await deps.sleep(Math.min(opts.pollMs, left));
    const s = await deps.systemctl.show();
    deps.onPoll?.(s, Math.max(0, end - deps.now()));
    // Restarts first: a crashed daemon is seen mostly between its starts (activating), and the
    // reason must say it crashed and is being restarted, not only that the service is not active.
    if (s.nRestarts > first.nRestarts) return { ok: false, reason: `the service restarted ${s.nRestarts - first.nRestarts} time(s) during probation (crash loop)` };
    if (s.subState === 'auto-restart') return { ok: false, reason: 'the daemon exited and the service is being restarted (auto-restart) during probation (crash loop)' };
    const bad = serviceDown(s);
    if (bad !== null) return { ok: false, reason: `${bad} during probation` };
    if (s.mainPid !== first.mainPid) return { ok: false, reason: `the daemon's process changed during probation (pid ${first.mainPid} -> ${s.mainPid}): it restarted` };
  }
  if (opts.trunksBefore === null) return { ok: true, detail: 'stayed up; trunks not compared (the old daemon did not answer before the switch)' };
  const now = await deps.readTrunks();
  if (now === null) return { ok: false, reason: "the daemon's API does not answer at the end of probation" };
  const worse = trunkRegressions(opts.trunksBefore, now);
  if (worse.length > 0) return { ok: false, reason: `trunk(s) up before the update are down now: ${worse.join(', ')}` };
  const stillDown = opts.trunksBefore.filter((t) => !t.up).map((t) => t.id);
  return { ok: true, detail: `stayed up; ${now.filter((t) => t.up).length}/${now.length} trunks up${stillDown.length > 0 ? ` (already down before: ${stillDown.join(', ')})` : ''}` };
}

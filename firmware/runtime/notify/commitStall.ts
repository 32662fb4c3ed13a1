/**
 * Whether writes are stuck uncommitted: the store was seen dirty and no
 * commit has finished since, for longer than the bound. Sampled by the
 * watchdog's probe, so it never fires just because a busy store is dirty at
 * every sample (commits in between reset it), nor after a long idle (the
 * clock starts when dirty is first seen, not at the last commit).
 * A full disk is not a stall: the caller reports it as 'degraded' first.
 */
export class CommitStall {
  private seenDirtyAt: number | null = null;
  private commitsThen = 0;

  constructor(private readonly boundMs: number) {}

  /** One sample: the store's dirty flag, its count of finished commits, the time (ms). */
  stalled(dirty: boolean, commits: number, nowMs: number): boolean {
    if (!dirty) {
      this.seenDirtyAt = null;
      return false;
    }
    if (this.seenDirtyAt === null || commits !== this.commitsThen) {
      this.seenDirtyAt = nowMs;
      this.commitsThen = commits;
      return false;
    }
    return nowMs - this.seenDirtyAt > this.boundMs;
  }
}

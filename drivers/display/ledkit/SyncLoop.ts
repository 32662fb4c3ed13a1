/**
 * Serialises hardware syncs: one runs at a time; a request during a run
 * asks for one more run after it (the newest state wins, nothing queues up).
 * A bus allows one transaction at a time, and `show`, animation timers and
 * retry timers all ask for syncs, so every write goes through here.
 */
export class SyncLoop {
  private running: Promise<void> | null = null;
  private again = false;

  /** @param run one sync; must not throw (faults go to health). */
  constructor(private readonly run: () => Promise<void>) {}

  /** Ask for a sync; resolves when the hardware holds the state current at the time of the call. */
  request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const loop = async (): Promise<void> => {
      try {
        do {
          this.again = false;
          await this.run();
        } while (this.again);
      } finally {
        this.running = null;
      }
    };
    this.running = loop();
    return this.running;
  }

  /** Resolves once no sync is running. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}

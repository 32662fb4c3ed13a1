import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { FailureReason } from '../session/AtCommand.ts';
import { failureReasonOf } from './failureReason.ts';
import type { ModemLine } from './ModemLine.ts';

export interface LineReleaseOptions {
  trunkId: string;
  line: ModemLine;
  clock: Clock;
  logger: Logger;
  /** Wait before trying a failed hang-up again while the modem is up (trunkTimings `releaseRetryMs`). */
  retryMs: number;
  /**
   * Another call is on the line (a live leg, or a ringing call not offered
   * yet): AT+CHUP would end it too, so only owed calls the modem still lists
   * are released, one by one (AT+CHLD=1x).
   */
  busy: () => boolean;
}

/** Failures after which the modem may still hold the call: try again when it answers. */
const TRY_AGAIN: ReadonlySet<FailureReason> = new Set<FailureReason>(['timeout', 'aborted', 'portClosed', 'rebooted']);

/**
 * One rule of the trunk (issue #9): a call the core was told is over is over
 * on the modem too. Whenever the trunk ends a leg towards the core for any
 * reason but the modem reporting the call gone (the core hung up, the answer
 * failed or timed out, a health drop outlasted its grace, the driver declared
 * the modem lost), it owes the modem a hang-up. The debt is paid at once when
 * the modem is up, else the moment it comes back; a hang-up that times out or
 * is aborted stays owed and is tried again (`retryMs`, and on every return of
 * the modem). Without this the caller and an agent stayed connected on the
 * network while the core had freed the agent.
 */
export class LineRelease {
  /** Calls owed a hang-up; null: whatever is on the line (an agent call, a dial with no id yet). */
  private readonly owed = new Set<string | null>();
  private inFlight = false;
  private again = false;
  private retry: Timer | null = null;

  constructor(private readonly o: LineReleaseOptions) {}

  /** A hang-up is still owed (the modem is down or did not take it). */
  get pending(): boolean {
    return this.owed.size > 0 || this.inFlight;
  }

  /** The trunk ended a leg whose call may still be on the modem: hang it up now or when the modem is back. */
  owe(callId: string | null): void {
    this.owed.add(callId);
    this.attempt();
  }

  /** The modem's health changed: a hang-up owed while it was down goes now. */
  lineChanged(): void {
    if (this.owed.size > 0 && this.o.line.health().up) this.attempt();
  }

  private attempt(): void {
    if (this.owed.size === 0) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    // A down modem cannot take it (its queue may be paused): lineChanged() brings it back here.
    if (!this.o.line.health().up) return;
    this.retry?.clear();
    this.retry = null;
    const owed = [...this.owed];
    this.owed.clear();
    this.inFlight = true;
    let failed = false;
    const done = this.o.busy() ? this.releaseEach(owed) : this.o.line.hangupAll();
    done
      .catch((e: unknown) => {
        const reason = failureReasonOf(e);
        if (reason === null || !TRY_AGAIN.has(reason)) {
          // The modem answered (ERROR, +CME ERROR): another AT+CHUP would get the same answer.
          this.o.logger.warn({ trunk: this.o.trunkId, err: String(e) }, 'the modem refused the hang-up of an ended call');
          return;
        }
        failed = true;
        for (const c of owed) this.owed.add(c);
        this.o.logger.warn({ trunk: this.o.trunkId, reason, err: String(e) }, 'hang-up of an ended call failed: trying again when the modem answers');
      })
      .finally(() => {
        this.inFlight = false;
        if (failed) {
          this.again = false;
          this.retry = this.o.clock.setTimer('modem-release-retry', this.o.retryMs, () => {
            this.retry = null;
            this.attempt();
          });
        } else if (this.again) {
          this.again = false;
          this.attempt();
        }
      });
  }

  /** Another call is up: release only the owed calls the modem still lists; the rest are gone already. */
  private async releaseEach(owed: ReadonlyArray<string | null>): Promise<void> {
    for (const callId of owed) {
      if (callId === null || !this.o.line.hasCall(callId)) {
        this.o.logger.info({ trunk: this.o.trunkId, callId }, 'ended call not hung up: another call is on the line and the modem does not list this one');
        continue;
      }
      await this.o.line.release(callId);
    }
  }
}

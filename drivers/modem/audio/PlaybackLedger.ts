/**
 * Which clip a module "playback finished" URC belongs to. The URCs carry no
 * clip identity (SIM800 `+CREC: 0`, SIM7600 `+AUDIOSTATE: audio play stop`,
 * Quectel `+QPSND: 0`), so they are matched by order and time. The rule:
 *
 * 1. Every playback the module may still be running owes exactly one done
 *    URC, and done URCs pay those debts oldest first. A clip we stop (abort,
 *    call end, a play command that timed out) owes its URC from the moment the
 *    stop is sent: the fake modem and SIMCom report a stopped clip's end after
 *    the stop's OK, sometimes only after the next clip started. Without this,
 *    that late URC ends the next clip early (issue #9a).
 * 2. The current clip's own done URC counts only after its play command was
 *    acknowledged (OK): the module reports the end of a playback it started.
 *    A done URC before that is an earlier clip's or stray, and is ignored.
 * 3. A stopped clip's debt lapses `staleAfterMs` after its stop completed: a
 *    firmware that does not report stopped clips must not swallow the next
 *    clip's own URC for long. A clip stopped after its fallback timeout owes
 *    nothing past its stop command: its module evidently did not report it
 *    (URC lost, or no URCs at all), and a debt there would swallow each next
 *    clip's URC in turn, every clip then ending by fallback.
 *
 * Both mistakes this can still make end a clip late (by its fallback
 * timeout), never early. Pure: no I/O, no timers; times are passed in.
 */
export type DoneMatch =
  /** A stopped clip's late URC: not the current clip's end. */
  | { kind: 'stoppedClip'; clip: string }
  /** The current clip finished. */
  | { kind: 'currentClip'; clip: string }
  /** Nothing acknowledged is waiting for it: ignored. */
  | { kind: 'stray' };

interface Owed {
  clip: string;
  /** Epoch ms after which its done URC is no longer expected; Infinity while the stop command runs. */
  until: number;
}

export class PlaybackLedger {
  private current: { clip: string; acked: boolean } | null = null;
  private owed: Owed[] = [];

  constructor(private readonly staleAfterMs: number) {}

  /** The play command for `clip` is about to be sent. */
  playing(clip: string): void {
    this.current = { clip, acked: false };
  }

  /** The module accepted the current clip's play command (its OK came). */
  acknowledged(): void {
    if (this.current) this.current.acked = true;
  }

  /** The current clip is over without a stop: its done URC came, or the module refused it. */
  finished(): void {
    this.current = null;
  }

  /** The stop command for the current clip is about to be sent: it owes its done URC until stopped(). */
  stopping(): void {
    if (this.current) this.owed.push({ clip: this.current.clip, until: Infinity });
    this.current = null;
  }

  /**
   * The stop command completed (OK or not) at `now`. `expectDone`: the clip
   * was still playing as far as we know (abort, call end, timed-out play), so
   * its URC stays expected for staleAfterMs; false after a fallback timeout.
   */
  stopped(now: number, expectDone: boolean): void {
    const until = expectDone ? now + this.staleAfterMs : now;
    for (const o of this.owed) if (o.until === Infinity) o.until = until;
    this.expire(now);
  }

  /** A done URC arrived at `now`: whose is it (see the class comment)? */
  done(now: number): DoneMatch {
    this.expire(now);
    const paid = this.owed.shift();
    if (paid) return { kind: 'stoppedClip', clip: paid.clip };
    const cur = this.current;
    if (cur?.acked) {
      this.current = null;
      return { kind: 'currentClip', clip: cur.clip };
    }
    return { kind: 'stray' };
  }

  /** Drop the debts that lapsed by `now`. */
  expire(now: number): void {
    this.owed = this.owed.filter((o) => o.until > now);
  }

  /** When the next debt lapses (epoch ms), if one is waiting with a deadline. */
  nextExpiry(): number | undefined {
    const finite = this.owed.map((o) => o.until).filter((t) => t !== Infinity);
    return finite.length > 0 ? Math.min(...finite) : undefined;
  }

  /** No clip playing and no URC owed: nobody needs to listen for done URCs. */
  get idle(): boolean {
    return this.current === null && this.owed.length === 0;
  }
}

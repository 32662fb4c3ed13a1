import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { CallChange, CallTable, ModemCall } from './calls.ts';
import type { Dialect } from './dialects/Dialect.ts';
import type { ModemSettings } from './state.ts';

/** Where the presenter writes URC lines (framed by the dialect, deferred while a command runs). */
export type UrcSink = (line: string) => void;

/**
 * Turns call-table changes into what the DCE prints: RING / `+CRING: VOICE`
 * (repeated while the call rings) with `+CLIP`, the result lines of ended
 * calls, and the family's call-state URCs.
 *
 * Result lines per end cause: busy → BUSY, noAnswer → NO ANSWER, failed → NO
 * CARRIER; remote → NO CARRIER only when it was the last call (a modem keeps
 * quiet when one party of a multi-call leaves: the host sees it in +CLCC and
 * the family URCs); local (host hang-up), transferred (ECT) and reset: none.
 */
export class CallPresenter {
  private readonly rings = new Map<number, Timer>();

  constructor(
    private readonly tableRef: CallTable,
    private readonly clock: Clock,
    private readonly dialect: () => Dialect,
    private readonly settings: () => ModemSettings,
    private readonly urc: UrcSink,
    private readonly ringIntervalMs: number,
  ) {
    tableRef.on('changed', (c) => this.changed(c));
  }

  private changed(change: CallChange): void {
    const call = change.call;
    if (change.kind === 'added' && call.state === 'incoming') this.startRinging(call);
    if (change.kind !== 'added' && call.state !== 'incoming') this.stopRinging(call);
    if (change.kind === 'removed') {
      this.stopRinging(call);
      const line = this.resultLine(change.cause);
      if (line) this.urc(line);
    }
    const d = this.dialect();
    for (const l of d.callUrcs(change, { table: this.tableRef, settings: this.settings(), now: this.clock.now() })) this.urc(l);
  }

  private resultLine(cause: string): string | null {
    switch (cause) {
      case 'busy':
        return 'BUSY';
      case 'noAnswer':
        return 'NO ANSWER';
      case 'failed':
        return 'NO CARRIER';
      case 'remote':
        return this.tableRef.size === 0 ? 'NO CARRIER' : null;
      default:
        return null;
    }
  }

  /** RING now and every ringIntervalMs (GSM alerting cadence ≈ 3 s) while the call rings. */
  private startRinging(call: ModemCall): void {
    const ring = (): void => {
      const s = this.settings();
      if (s.ringUrc) this.urc(s.crc ? '+CRING: VOICE' : 'RING');
      if (s.clip) this.urc(this.dialect().clipLine(call));
      this.rings.set(call.index, this.clock.setTimer('fakeModem.ring', this.ringIntervalMs, ring));
    };
    ring();
  }

  private stopRinging(call: ModemCall): void {
    this.rings.get(call.index)?.clear();
    this.rings.delete(call.index);
  }

  close(): void {
    for (const t of this.rings.values()) t.clear();
    this.rings.clear();
  }
}

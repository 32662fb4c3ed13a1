import type { EventEmitter } from 'node:events';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { AtFrame } from '../framing/AtFrame.ts';
import { escapeBytes } from '../framing/latin1.ts';
import type { AtSessionEvents, UrcShape } from './AtSessionEvents.ts';
import { routeLine } from './routeLine.ts';
import type { Transaction } from './Transaction.ts';

/**
 * The receive side of an AtSession: every decoded frame goes to the command
 * in flight (via routeLine.ts) or out as an event, synchronously and in wire
 * order, so a final followed by URCs in one read completes the command first
 * and passes the URCs on (P4). Also assembles multi-line URCs (`+CMT:` + PDU,
 * taken from the next lines even mid-command), counts unknown URCs (P11) and
 * garbage between valid finals (baud mismatch, scenario 9).
 */
export class Inbound {
  private urc: { line: string; trailing: string[]; owed: number; known: boolean } | null = null;
  private garbage = 0;
  private baudReported = false;
  private unknown = 0;

  constructor(
    private readonly deps: {
      /** The session itself: events go out through it. */
      events: EventEmitter<AtSessionEvents>;
      log: Logger;
      urcShape: UrcShape;
      /** K of scenario 9. */
      garbageThreshold: number;
      /** The command in flight, armed before its write. */
      current(): Transaction | null;
    },
  ) {}

  get unknownUrcCount(): number {
    return this.unknown;
  }

  /** Trailing lines still owed to a half-assembled URC (`+CMT:` waiting for its PDU), 0 when none. */
  get urcLinesOwed(): number {
    return this.urc?.owed ?? 0;
  }

  /** Forget a half-assembled URC (port closed or reopened). */
  reset(): void {
    this.urc = null;
  }

  frame(f: AtFrame): void {
    if (f.kind === 'line') {
      // Issue #9: a caller ID with a control byte is data, kept (escaped) rather than discarded; worth a note.
      if (f.controlBytes) this.deps.log.info({ line: f.text, controlBytes: f.controlBytes }, 'AT data line with control bytes kept escaped');
      return this.line(f.text);
    }
    if (f.kind === 'prompt') {
      const tx = this.deps.current();
      if (tx) tx.prompt();
      else this.deps.log.debug({}, 'AT prompt with no command waiting');
      return;
    }
    this.garbage++;
    // The command in flight may have lost a line of its answer (never read a refused +CLCC line as "no calls").
    this.deps.current()?.noteDiscarded();
    this.deps.log.debug({ reason: f.reason, bytes: f.bytes.length, data: lazy(() => escapeBytes(f.bytes)) }, 'AT bytes discarded');
    this.deps.events.emit('discarded', f);
    if (this.garbage >= this.deps.garbageThreshold && !this.baudReported) {
      this.baudReported = true;
      this.deps.log.warn({ garbageItems: this.garbage }, 'AT garbage without a valid result: baud mismatch?');
      this.deps.events.emit('baudMismatch', this.garbage);
    }
  }

  private line(text: string): void {
    const tx = this.deps.current();
    const route = routeLine(
      text,
      { command: tx?.command ?? null, bodyOwed: tx?.bodyOwed ?? 0, urcOwed: this.urc?.owed ?? 0, awaitingMarker: tx?.awaitingMarker ?? false },
      this.deps.urcShape,
    );
    switch (route.kind) {
      case 'urcTrailing': {
        const u = this.urc!; // urcOwed > 0 implies a pending URC
        u.trailing.push(text);
        if (--u.owed === 0) this.emitUrc(u.line, u.trailing, u.known);
        return;
      }
      case 'urc':
        if (route.trailing > 0) this.urc = { line: text, trailing: [], owed: route.trailing, known: route.known };
        else this.emitUrc(text, [], route.known);
        return;
      case 'strayFinal':
        this.validFinal();
        this.deps.log.info({ line: text }, 'AT final result with no command waiting');
        this.deps.events.emit('strayFinal', text);
        return;
      case 'final':
        this.validFinal();
        tx?.line(route, text);
        return;
      case 'stale':
        // A late answer to a command that timed out, arriving while the resync marker is awaited (P8).
        tx?.line(route, text);
        if (!route.result) return this.deps.log.debug({ line: text }, 'AT stale answer line dropped during resync');
        this.validFinal();
        this.deps.log.info({ line: text }, 'AT stale final result dropped during resync');
        this.deps.events.emit('strayFinal', text);
        return;
      default:
        tx?.line(route, text);
    }
  }

  private emitUrc(line: string, trailing: string[], known: boolean): void {
    this.urc = null;
    if (!known) {
      this.unknown++;
      this.deps.log.debug({ line, count: this.unknown }, 'unknown URC');
    }
    this.deps.events.emit('urc', line, trailing, known);
  }

  /** A valid final result ends a garbage episode. */
  private validFinal(): void {
    this.garbage = 0;
    this.baudReported = false;
  }
}

/** A log field rendered only when a sink serialises it (traffic logs are built lazily, STYLE.md rule 25). */
export function lazy(render: () => string): { toJSON(): string; toString(): string } {
  return { toJSON: render, toString: render };
}

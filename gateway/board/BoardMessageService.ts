/**
 * The supervisor's broadcast: one short message shown on every board in turn
 * with the figures, until its time is up or it is cleared. A new message
 * replaces the one on show. Kept in the store's meta table (one JSON value),
 * so a restart within its time brings it back; its expiry is a named timer
 * on the core's clock, so consumers learn it came down from an event.
 */
import type { Clock, Timer } from '../core/Clock.ts';
import type { Logger } from '../core/Logger.ts';
import type { NewEvent } from '../core/Transactor.ts';
import type { BoardMessageLevel, StoredEvent } from '../events.ts';
import type { Store } from '../store/Store.ts';
import { checkMessageDuration, checkMessageLevel, checkMessageText, MAX_MESSAGE_MS } from './boardInput.ts';
import type { BoardMessageState } from './types.ts';

/** Meta key holding the message as JSON, or '' when none is up. */
export const BOARD_MESSAGE_META_KEY = 'board.message';

/** What the service needs from the core. */
export interface BoardMessageDeps {
  store: Pick<Store, 'getMeta' | 'setMeta'>;
  /** The core's transactional clock: a timer it fires runs as an input of its own. */
  clock: Clock;
  /** Records the fact in the current input's batch (Transactor.emit). */
  emit(ev: NewEvent): StoredEvent;
  log: Logger;
}

/** The one supervisor message, in memory and in the store's meta, with its expiry timer. */
export class BoardMessageService {
  /** The stored message, possibly past its time until the expiry timer has run. */
  private msg: BoardMessageState | null;
  private expiry: Timer | undefined;

  constructor(private readonly deps: BoardMessageDeps) {
    this.msg = decodeMessage(deps.store.getMeta(BOARD_MESSAGE_META_KEY), deps.log);
  }

  /**
   * Put a message up for `forMs` from now, replacing any other. Call inside
   * an input (Transactor.run).
   * @throws BoardInputError on bad text, level or duration; nothing changes.
   */
  show(text: string, level: BoardMessageLevel, forMs: number): BoardMessageState {
    const t = checkMessageText(text);
    checkMessageLevel(level);
    checkMessageDuration(forMs);
    const at = this.deps.clock.now();
    const next: BoardMessageState = { text: t, level, until: at + forMs, at };
    this.deps.emit({ type: 'boardMessageShown', text: next.text, level, until: next.until });
    this.deps.store.setMeta(BOARD_MESSAGE_META_KEY, JSON.stringify(next));
    this.msg = next;
    this.arm();
    return { ...next };
  }

  /** Take the message down; a no-op (no event) when none is up. Call inside an input. */
  clear(): void {
    if (this.msg === null) return;
    this.takeDown(this.current() === null ? 'expired' : 'cleared');
  }

  /** The message on show now, or null (none, or its time is up), by the core's clock. */
  current(): BoardMessageState | null {
    const m = this.msg;
    return m !== null && this.deps.clock.now() < m.until ? { ...m } : null;
  }

  /**
   * At start, inside the start input: a message whose time ran out while the
   * unit was down comes down with its event; one still running gets its timer back.
   */
  restore(): void {
    if (this.msg === null) return;
    if (this.current() === null) this.takeDown('expired');
    else this.arm();
  }

  private arm(): void {
    this.expiry?.clear();
    const m = this.msg;
    if (m === null) return;
    // Bounded by MAX_MESSAGE_MS even if the stored `until` was written by a clock far ahead.
    const ms = Math.min(Math.max(0, m.until - this.deps.clock.now()), MAX_MESSAGE_MS);
    this.expiry = this.deps.clock.setTimer('board-message-expiry', ms, () => {
      if (this.msg !== null && this.current() === null) this.takeDown('expired');
      else this.arm();
    });
  }

  private takeDown(reason: 'cleared' | 'expired'): void {
    this.deps.emit({ type: 'boardMessageCleared', reason });
    this.deps.store.setMeta(BOARD_MESSAGE_META_KEY, '');
    this.msg = null;
    this.expiry?.clear();
    this.expiry = undefined;
  }
}

/** The stored message, or null when none or unreadable (logged: a damaged message is not worth failing a start). */
export function decodeMessage(raw: string | undefined, log: Logger): BoardMessageState | null {
  if (raw === undefined || raw === '') return null;
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    m = null;
  }
  if (isMessage(m)) return { text: m.text, level: m.level, until: m.until, at: m.at };
  log.warn({ key: BOARD_MESSAGE_META_KEY, raw: raw.slice(0, 200) }, 'stored board message is malformed; ignored');
  return null;
}

function isMessage(x: unknown): x is BoardMessageState {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Partial<Record<keyof BoardMessageState, unknown>>;
  return typeof m.text === 'string' && (m.level === 'info' || m.level === 'critical') && typeof m.until === 'number' && Number.isFinite(m.until) && typeof m.at === 'number' && Number.isFinite(m.at);
}

import type { Clock, Timer } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { BoardConfig } from '../config/BoardConfig.ts';
import type { Display } from '../display/Display.ts';
import type { BoardView, ItemView } from '../model/BoardView.ts';
import { buildView, pageCapacityOf, type TurnState, type ViewInputs } from '../model/buildView.ts';

/** How long a supervisor message keeps the board on each of its turns. */
export const MESSAGE_TURN_MS = 5_000;

/**
 * One board's timing: when to send, which page, whose turn (figures or the
 * supervisor message). Changes are sent at once when the board has been
 * quiet for its minimum interval, otherwise coalesced into one send at the
 * end of it; a view equal to the last one sent is not sent at all.
 */
export class BoardDriver {
  private turn: TurnState = { page: 0, messageTurn: false };
  private lastSentAt = -Infinity;
  /** The view last sent, to skip one equal to it; null after a view sent with showNow (always followed by a send). */
  private lastView: BoardView | null = null;
  private coalesce: Timer | null = null;
  private pageTimer: Timer | null = null;
  private sending: Promise<void> | null = null;
  private again = false;
  private pages = 1;
  private messageActive = false;
  private stopped = false;
  /** The last view handed to the display (for previews and status). */
  current: BoardView | null = null;

  constructor(
    readonly board: BoardConfig,
    readonly display: Display,
    private readonly inputs: () => ViewInputs,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Something may have changed: send now or at the end of the minimum interval. */
  changed(): void {
    if (this.stopped) return;
    const wait = this.lastSentAt + this.board.minIntervalMs - this.clock.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    if (!this.coalesce?.pending) this.coalesce = this.clock.setTimer(`board:${this.board.id}:coalesce`, wait, () => this.flush());
  }

  /** A new supervisor message takes the board at once. */
  messageStarted(): void {
    this.turn = { page: this.turn.page, messageTurn: true };
    this.schedulePageTurn(MESSAGE_TURN_MS);
    this.changed();
  }

  /** Send a view now (start, stop), bypassing the interval. */
  async showNow(view: BoardView): Promise<void> {
    this.coalesce?.clear();
    await this.sending;
    await this.send(view, null);
  }

  stop(): void {
    this.stopped = true;
    this.coalesce?.clear();
    this.pageTimer?.clear();
  }

  /** Build the view and hand it over; one show at a time, the latest wins. */
  private flush(): void {
    this.coalesce?.clear();
    if (this.sending) {
      this.again = true;
      return;
    }
    const view = buildView(this.board, pageCapacityOf(this.display), this.inputs(), this.turn);
    this.pages = view.pages.length;
    this.messageActive = view.message !== null;
    if (!this.pageTimer?.pending && (this.pages > 1 || this.messageActive)) this.schedulePageTurn(this.board.pageMs);
    if (this.lastView !== null && sameView(view, this.lastView)) return;
    this.lastSentAt = this.clock.now();
    this.sending = this.send(view, view).finally(() => {
      this.sending = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.changed();
      }
    });
  }

  private async send(view: BoardView, compareNext: BoardView | null): Promise<void> {
    this.lastView = compareNext;
    this.current = view;
    try {
      await this.display.show(view);
    } catch (e) {
      // Displays record their own faults; a throw here is a driver bug, logged and survived.
      this.log.error({ board: this.board.id, err: String(e) }, 'display failed to show a view');
    }
  }

  /** Rotate: pages of figures, then (while a message is active) the message's turn. */
  private schedulePageTurn(ms: number): void {
    this.pageTimer?.clear();
    this.pageTimer = this.clock.setTimer(`board:${this.board.id}:page`, ms, () => {
      if (this.stopped) return;
      const { page, messageTurn } = this.turn;
      if (messageTurn) this.turn = { page: 0, messageTurn: false };
      else if (page + 1 < this.pages) this.turn = { page: page + 1, messageTurn: false };
      else this.turn = { page: 0, messageTurn: this.messageActive };
      const next = this.turn.messageTurn ? MESSAGE_TURN_MS : this.board.pageMs;
      if (this.pages > 1 || this.messageActive) this.schedulePageTurn(next);
      this.changed();
    });
  }
}

/**
 * Equal views but for `at` (what the display would show is the same). Field
 * by field rather than by JSON text: boards compare a view every second.
 */
export function sameView(a: BoardView, b: BoardView): boolean {
  return (
    a.boardId === b.boardId &&
    a.kind === b.kind &&
    a.lang === b.lang &&
    a.dir === b.dir &&
    a.state === b.state &&
    a.title === b.title &&
    a.date === b.date &&
    a.time === b.time &&
    a.page === b.page &&
    a.messageTurn === b.messageTurn &&
    a.brightness === b.brightness &&
    sameMessage(a.message, b.message) &&
    sameItems(a.items, b.items) &&
    a.pages.length === b.pages.length &&
    a.pages.every((p, i) => sameItems(p, b.pages[i]!))
  );
}

function sameMessage(a: BoardView['message'], b: BoardView['message']): boolean {
  if (a === null || b === null) return a === b;
  return a.text === b.text && a.level === b.level && a.until === b.until;
}

function sameItems(a: readonly ItemView[], b: readonly ItemView[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.id !== y.id || x.label !== y.label || x.short !== y.short || x.value !== y.value || x.latin !== y.latin || x.level !== y.level || x.stale !== y.stale) return false;
  }
  return true;
}

import type { Display, DisplayHealth } from '../display/Display.ts';
import type { BoardView } from '../model/BoardView.ts';
import type { BoardChannel } from './BoardChannel.ts';
import { placeholderOf, publicView, type PublicBoardView } from './publicView.ts';

/**
 * One web board page as a {@link Display}: `show` hands the page's figures to
 * its event streams when they changed; the server keeps the streams. A page
 * shows every item at once, so capacity is large and `pages` go unused.
 */
export class WebBoardDisplay implements Display {
  /** Every item on one screen; the grid wraps. */
  readonly capacity = 100;
  private opened = false;
  private closed = false;

  constructor(
    private readonly channel: BoardChannel,
    /** Completes each view before it is sent (the server adds the CJK font covering its text). */
    private readonly prepare: (view: PublicBoardView) => PublicBoardView = (v) => v,
  ) {}

  get boardId(): string {
    return this.channel.boardId;
  }

  async open(): Promise<void> {
    this.opened = true;
    this.closed = false;
  }

  /** Never throws: a page with no viewer simply keeps the view for the next one. */
  async show(view: BoardView): Promise<void> {
    this.channel.publish(this.prepare(publicView(view)));
  }

  health(): DisplayHealth {
    const n = this.channel.viewers;
    const detail = this.closed ? 'closed' : !this.opened ? 'not opened' : `${n} viewer${n === 1 ? '' : 's'}`;
    return { ok: this.opened && !this.closed, detail, bytesWritten: this.channel.bytesWritten };
  }

  /**
   * Leave the page on the placeholder (pages that reconnect get it too) and
   * end the streams; the EventSource on each page reconnects by itself.
   */
  async close(): Promise<void> {
    const last = this.channel.view;
    if (last) this.channel.publish(placeholderOf(last));
    this.channel.endAll();
    this.closed = true;
  }
}

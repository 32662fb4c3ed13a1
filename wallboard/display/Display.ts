import type { BoardView, ItemView } from '../model/BoardView.ts';

/** What status reports for one display. */
export interface DisplayHealth {
  /** Connected and accepting writes (a write-only sign counts as ok while its port is open). */
  ok: boolean;
  /** Human-readable reason when not ok, or a short note ("ok", "re-initialised after reset"). */
  detail: string;
  /** Bytes written since start, for the bytes-per-change figures. */
  bytesWritten: number;
}

/**
 * One physical (or web) board. The runtime calls `show` with the whole view
 * each time something may have changed; the driver keeps a model of what the
 * hardware holds and sends only the difference (an unchanged view sends
 * nothing). `show` never throws for a missing or broken device: it records
 * the fault in `health()` and retries on a later call.
 */
export interface Display {
  readonly boardId: string;
  /** Items this hardware shows on one page, used when the config sets no page size. */
  readonly capacity: number;
  /**
   * Items per page for these labels, where it depends on them (a sign that
   * draws Persian or Chinese labels as pictures fits fewer long labels on a
   * line); absent, `capacity` holds for any labels.
   */
  capacityFor?(items: readonly ItemView[]): number;
  open(): Promise<void>;
  show(view: BoardView): Promise<void>;
  health(): DisplayHealth;
  /** Leave the hardware showing a placeholder (the caller shows a placeholder view first), then release it. */
  close(): Promise<void>;
}

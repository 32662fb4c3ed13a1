/**
 * The wallboard inputs the core keeps, as the API, the snapshot and the
 * boards read them.
 */
import type { BoardMessageLevel, CounterSource } from '../events.ts';

/** An external counter's last value. */
export interface CounterReading {
  /** Counter name, e.g. `email`, `whatsapp` (see COUNTER_NAME in boardInput.ts). */
  name: string;
  /** Whole number, 0 … 1 000 000 000. */
  value: number;
  /** When it was last set, epoch ms: boards show a placeholder once this is older than their freshness limit. */
  at: number;
  source: CounterSource;
}

/** The supervisor message on show. */
export interface BoardMessageState {
  /** Trimmed, 1–160 code points, one line. */
  text: string;
  level: BoardMessageLevel;
  /** When it comes down, epoch ms. */
  until: number;
  /** When it was put up, epoch ms. */
  at: number;
}

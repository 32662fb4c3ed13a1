import type { Lang, Level } from '../model/BoardView.ts';
import type { ScopeFigures } from './scope.ts';
import type { Thresholds } from './thresholds.ts';

/** One board item's meaning: its value, its level against the thresholds, and its words where it is not a number. */
export interface Figure {
  /** The value in Western digits and ASCII, or null for "no data". */
  value(f: ScopeFigures): string | null;
  level(f: ScopeFigures, t: Thresholds): Level;
  /** The value in the board's language where it is words (the cloud link's state); default: `value` in local digits. */
  text?(f: ScopeFigures, lang: Lang): string | null;
}

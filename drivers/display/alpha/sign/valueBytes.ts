import type { ItemId, ItemView, Level } from '../../../../wallboard/model/BoardView.ts';
import { colour, flash } from '../commands/controls.ts';
import { ascii, concat } from '../framing/bytes.ts';
import { ColourCode, type ColourCodeByte } from '../framing/codes.ts';

/** What a slot shows when there is no live figure (placeholder view, stale counter). */
export const PLACEHOLDER = '--';

/** Colour per level on colour signs (led-signs conventions: green / amber / red). */
export const LEVEL_COLOUR: Record<Level, ColourCodeByte> = { ok: ColourCode.green, warn: ColourCode.amber, crit: ColourCode.red };
/** Placeholders are dimmed, never an alarm colour. */
export const PLACEHOLDER_COLOUR: ColourCodeByte = ColourCode.dimGreen;

/** Control bytes a value may carry around its digits: colour (2), flash on (2) and off (2). */
export const VALUE_CONTROL_BYTES = 6;

/**
 * Widest Western-digit value each figure normally takes, characters (the
 * STRING is sized to it so a growing value does not force a new memory
 * map). Larger values still fit: the layout grows the slot and re-lays out.
 */
const WIDEST: Partial<Record<ItemId, number>> = {
  callsWaiting: 3,
  longestWait: 5, // mm:ss; h:mm:ss grows the slot
  agentsReady: 3,
  agentsOnCall: 3,
  agentsPaused: 3,
  serviceLevelToday: 4, // 100%
  serviceLevelHour: 4,
  answered: 4,
  abandoned: 4,
  callbacksPending: 3,
  surveyMean: 3, // 4.5
  agentsNeeded: 3,
  cloudLink: 4, // DOWN
  outboxDepth: 5,
  outboxAge: 5,
  lastCommand: 18, // campaign_submit OK
  linesInService: 3,
};
const COUNTER_WIDEST = 5;

export function widestValue(id: ItemId): number {
  return WIDEST[id] ?? (id.startsWith('counter:') ? COUNTER_WIDEST : COUNTER_WIDEST);
}

/** The text a slot shows: the Western-digit value, or `--` for a placeholder view or a stale figure. */
export function valueText(item: ItemView, state: 'live' | 'placeholder'): string {
  if (state === 'placeholder' || item.stale) return PLACEHOLDER;
  // Only printable ASCII reaches a 7-bit sign; anything else becomes '?'.
  return item.latin.replace(/[^\x20-\x7e]/g, '?');
}

/**
 * STRING data for one item: the value in its level colour on colour signs
 * (0x1C '2'/'3'/'1'); on single-colour signs a critical value flashes
 * (0x07 '1' … 0x07 '0', led-signs §5 steady/steady/flash). Placeholders are
 * dim and never flash.
 */
export function valueBytes(item: ItemView, state: 'live' | 'placeholder', colourSign: boolean): Uint8Array {
  const text = ascii(valueText(item, state));
  const placeholder = state === 'placeholder' || item.stale;
  if (colourSign) return concat(colour(placeholder ? PLACEHOLDER_COLOUR : LEVEL_COLOUR[item.level]), text);
  if (!placeholder && item.level === 'crit') return concat(flash(true), text, flash(false));
  return text;
}

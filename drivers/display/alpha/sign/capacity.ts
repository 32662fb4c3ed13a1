import type { ItemView, Lang } from '../../../../wallboard/model/BoardView.ts';
import { SIGN_FONT, textLines, type SignSpec } from './SignSpec.ts';
import { widestValue } from './valueBytes.ts';

/** Between two items on a line: the two spaces `pageText` puts there. */
const ITEM_GAP_PX = 2 * SIGN_FONT.advance;

/**
 * Items per page on a sign that draws its labels as pictures (fa/zh): as many
 * whole items per line as the widest of them allows, times the lines. A
 * Persian label in Unifont is ~8 px a letter, so a 160-column sign that holds
 * two English items holds one `بیشترین انتظار` and its value; counting
 * characters would put half of the second item off the sign's edge.
 * `labelWidth` gives a label's picture width, or null when it cannot be drawn
 * (the item then falls back to its Latin `short` label in the sign's font).
 */
export function pictureCapacity(
  sign: Pick<SignSpec, 'rows' | 'columns'>,
  lang: Lang,
  items: readonly Pick<ItemView, 'id' | 'label' | 'short'>[],
  labelWidth: (label: string) => number | null,
): number {
  let widest = 0;
  for (const item of items) {
    const label = labelWidth(item.label) ?? item.short.length * SIGN_FONT.advance;
    widest = Math.max(widest, label + SIGN_FONT.advance + widestValue(item.id) * SIGN_FONT.advance);
  }
  const perLine = widest === 0 ? 1 : Math.max(1, Math.floor((sign.columns + ITEM_GAP_PX) / (widest + ITEM_GAP_PX)));
  return textLines(sign, lang) * perLine;
}

import { renderText } from '../../../../wallboard/text/render.ts';
import type { GlyphFont } from '../../../../wallboard/text/GlyphFont.ts';
import { loadUnifont } from '../../../../wallboard/text/unifont.ts';
import type { LabelRenderer } from './layout.ts';

/**
 * The production LabelRenderer: the wallboard text renderer (shaping, bidi)
 * with GNU Unifont, 16 rows. The font loads on the first non-Latin label, so
 * an English board never reads it.
 */
export function unifontLabelRenderer(load: () => GlyphFont = () => loadUnifont()): LabelRenderer {
  let font: GlyphFont | null = null;
  return (text, { dir, colour }) => renderText(text, { font: (font ??= load()), dir, colour });
}

import { describe, expect, it } from 'vitest';
import { COUNTER_LABELS, FIGURE_LABELS, LINK_WORDS, OUTCOME_WORDS, PLACEHOLDER, SITE_TITLE } from '../figures/labels.ts';
import { font5x7 } from '../fonts/font5x7.ts';
import { shape } from './shape.ts';
import { loadUnifont } from './unifont.ts';

/** The shipped subset alone, as on a unit without Debian's unifont package. */
const unifont = loadUnifont({ systemHexPath: null });
const labels = [...Object.values(FIGURE_LABELS), ...Object.values(COUNTER_LABELS)];
/** Values that are words (the cloud link's state, a command's outcome). */
const words = [...Object.values(LINK_WORDS), ...Object.values(OUTCOME_WORDS)];

describe('the built-in label table draws with the shipped fonts', () => {
  it.each(['en', 'fa', 'zh'] as const)('%s labels and site title are in the Unifont subset', (lang) => {
    for (const text of [...labels.map((l) => l[lang]), ...words.map((w) => w[lang]), SITE_TITLE[lang], PLACEHOLDER]) {
      expect(unifont.missing(text), text).toEqual([]);
      expect(unifont.missing(shape(text)), `${text} shaped`).toEqual([]);
    }
  });

  it('short forms and English labels draw with the 5x7 font', () => {
    const small = font5x7();
    for (const l of labels) {
      expect(small.missing(l.short), l.short).toEqual([]);
      expect(small.missing(l.en), l.en).toEqual([]);
    }
    for (const w of words) {
      expect(small.missing(w.latin), w.latin).toEqual([]);
      expect(small.missing(w.en), w.en).toEqual([]);
    }
  });
});

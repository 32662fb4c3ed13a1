import { describe, expect, it } from 'vitest';
import vectors from '../../test/fixtures/text-shaping-vectors.json' with { type: 'json' };
import { lineLevels, reorderLine, visualLine } from './bidi.ts';
import { isDefaultIgnorable } from './ignorable.ts';
import { shape } from './shape.ts';
import { fromHex, hexOf } from './testHelpers.ts';

interface Case {
  input: string;
  base_direction: 'ltr' | 'rtl';
  input_hex: string;
  shaped_hex: string;
  visual_left_to_right_hex: string;
  bidi_levels: string;
}

const cases = vectors.cases as Case[];

describe('text-shaping-vectors.json, every case byte-exact', () => {
  it('has the twelve recorded cases', () => {
    expect(cases).toHaveLength(12);
  });

  describe.each(cases)('$input ($base_direction)', (c) => {
    it('input is what the hex says', () => {
      expect(hexOf(c.input)).toBe(c.input_hex);
    });

    it('shapes to the recorded presentation forms', () => {
      expect(hexOf(shape(c.input))).toBe(c.shaped_hex);
    });

    it('resolves the recorded embedding levels', () => {
      expect([...lineLevels(shape(c.input), c.base_direction)].join('')).toBe(c.bidi_levels);
    });

    it('reorders to the recorded visual order, ignorables kept', () => {
      expect(hexOf(reorderLine(shape(c.input), c.base_direction))).toBe(c.visual_left_to_right_hex);
    });

    it('visualLine gives the visual order without default-ignorables', () => {
      const expected = [...fromHex(c.visual_left_to_right_hex)]
        .filter((ch) => !isDefaultIgnorable(ch.codePointAt(0) ?? 0))
        .join('');
      expect(hexOf(visualLine(c.input, c.base_direction))).toBe(hexOf(expected));
    });
  });
});

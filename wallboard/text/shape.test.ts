import { describe, expect, it } from 'vitest';
import { shape } from './shape.ts';
import { hexOf } from './testHelpers.ts';

describe('shape', () => {
  it('uses Farsi yeh forms (PersianShaper), not Arabic yeh', () => {
    expect(hexOf(shape('پشتیبانی'))).toBe('FB58 FEB8 FE98 FBFF FE92 FE8E FEE7 FBFD');
  });

  it('builds the LAM-ALEF ligature, isolated and final', () => {
    expect(hexOf(shape('لا'))).toBe('FEFB');
    expect(hexOf(shape('سلام'))).toBe('FEB3 FEFC FEE1');
  });

  it('builds LAM with ALEF MADDA / HAMZA ligatures the library turns into U+0000', () => {
    expect(hexOf(shape('الآن'))).toBe('FE8D FEF5 FEE5');
    expect(hexOf(shape('سلآم'))).toBe('FEB3 FEF6 FEE1');
    expect(hexOf(shape('لأ'))).toBe('FEF7');
    expect(hexOf(shape('سلإ'))).toBe('FEB3 FEFA');
    expect(shape('الآن سلام')).not.toContain('\u0000');
  });

  it('treats ZWNJ as a joining break and keeps it', () => {
    expect(hexOf(shape('تماس‌ها'))).toBe('FE97 FEE4 FE8E FEB1 200C FEEB FE8E');
  });

  it('leaves Latin and Chinese unchanged and is idempotent', () => {
    expect(shape('SL 97% 排队')).toBe('SL 97% 排队');
    const once = shape('سطح خدمت امروز');
    expect(shape(once)).toBe(once);
  });
});

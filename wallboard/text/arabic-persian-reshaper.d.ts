// Types for arabic-persian-reshaper 1.0.1 (MIT), which ships none; only what ccgate calls.
declare module 'arabic-persian-reshaper' {
  interface Shaper {
    /** Logical Arabic/Persian text → Arabic Presentation Forms (isolated/initial/medial/final, lam-alef). */
    convertArabic(text: string): string;
    /** Presentation forms → base letters. */
    convertArabicBack(text: string): string;
  }
  const reshaper: { PersianShaper: Shaper; ArabicShaper: Shaper };
  export default reshaper;
}

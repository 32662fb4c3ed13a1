/**
 * The MT8870's output code Q4..Q1 per key (Zarlink MT8870D data sheet,
 * table 1 "Functional Decode Table"). Note 0 = 1010, * = 1011, # = 1100 and
 * D = 0000: tables on hobby pages that put * at 1010 are wrong.
 */
const TABLE = ['D', '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#', 'A', 'B', 'C'] as const;

export type DtmfKey = (typeof TABLE)[number];

/** The key for code `q` (Q4 the high bit, Q1 the low bit). */
export function keyOfCode(q: number): DtmfKey {
  return TABLE[q & 0x0f]!;
}

/** The code an MT8870 outputs for `key` (for simulators and tests). */
export function codeOfKey(key: DtmfKey): number {
  return TABLE.indexOf(key);
}

import { readFileSync } from 'node:fs';

/** One packet of test/fixtures/alpha-vectors.json (test-only loader). */
export interface AlphaVector {
  id: string;
  source: string;
  input: string;
  hex: string;
  decoded: string;
  checksums_verified?: boolean[];
}

/** The byte-exact Alpha vectors (see test/fixtures/alpha-vectors.README.md for their sources). */
export function loadAlphaVectors(): AlphaVector[] {
  const url = new URL('../../../../test/fixtures/alpha-vectors.json', import.meta.url);
  const json = JSON.parse(readFileSync(url, 'utf8')) as { vectors: AlphaVector[] };
  return json.vectors;
}

export const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

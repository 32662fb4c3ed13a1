/** Loads test/fixtures/led-driver-vectors.json (HT16K33 I2C writes, MAX7219 SPI frames); test-only. */
import { readFileSync } from 'node:fs';

export interface Ht16k33Vector {
  name: string;
  input: string;
  i2c_writes: Array<{ addr: string; hex: string }>;
}

export interface Max7219Vector {
  name: string;
  input: string;
  spi_frames_hex: string[];
}

export interface LedVectors {
  ht16k33: Ht16k33Vector[];
  max7219: Max7219Vector[];
}

export function loadLedVectors(): LedVectors {
  return JSON.parse(readFileSync(new URL('../../../test/fixtures/led-driver-vectors.json', import.meta.url), 'utf8')) as LedVectors;
}

import { describe, expect, it } from 'vitest';
import { createBitmap } from '../../../../wallboard/bitmap/Bitmap.ts';
import { FakeI2cBus } from '../../bus/FakeI2cBus.ts';
import { loadLedVectors } from '../../ledkit/ledVectors.ts';
import { encodeAlphanumeric4 } from './alphanumeric.ts';
import { dimming, displaySetup, ramWrite, systemSetup } from './commands.ts';
import { encodeMatrix8x8 } from './matrix8x8.ts';
import { encodeSevenSegment4 } from './sevenSegment.ts';

const corners = createBitmap(8, 8);
corners.data[0] = 1; // (0,0)
corners.data[7 * 8 + 7] = 1; // (7,7)

/** How ccgate produces each recorded library call, as the I2C writes it issues. */
const PRODUCERS: Record<string, () => Uint8Array[]> = {
  seg7_init: () => [systemSetup(true), displaySetup(true, 0), dimming(15)],
  seg7_42: () => [ramWrite(0, encodeSevenSegment4('42'))],
  seg7_12colon34: () => [ramWrite(0, encodeSevenSegment4('12:34'))],
  seg7_9dot5: () => [ramWrite(0, encodeSevenSegment4('9.5'))],
  seg7_minus8: () => [ramWrite(0, encodeSevenSegment4('-8'))],
  seg7_blink_1hz: () => [displaySetup(true, 2)],
  // CircuitPython brightness 0.5 → round(0.5 × 15) = 8.
  seg7_brightness_half: () => [dimming(8)],
  seg14_CALL: () => [ramWrite(0, encodeAlphanumeric4('CALL'))],
  seg14_SL97: () => [ramWrite(0, encodeAlphanumeric4('SL97'))],
  matrix8x8_corners: () => [ramWrite(0, encodeMatrix8x8(corners))],
};

describe('HT16K33 framing against the Adafruit vectors (fake bus boundary)', () => {
  const vectors = loadLedVectors().ht16k33;

  it('covers every vector in the fixture', () => {
    expect(vectors.map((v) => v.name).sort()).toEqual(Object.keys(PRODUCERS).sort());
  });

  for (const v of vectors) {
    it(`${v.name}: ${v.input}`, async () => {
      const bus = new FakeI2cBus();
      const address = Number(v.i2c_writes[0]!.addr);
      for (const w of PRODUCERS[v.name]!()) await bus.i2cWrite(address, w);
      expect(bus.transactions.map((t) => t.address)).toEqual(v.i2c_writes.map((w) => Number(w.addr)));
      expect(bus.hexWrites()).toEqual(v.i2c_writes.map((w) => w.hex));
    });
  }
});

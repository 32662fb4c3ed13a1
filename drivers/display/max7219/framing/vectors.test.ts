import { describe, expect, it } from 'vitest';
import { FakeSpiDevice } from '../../bus/FakeSpiDevice.ts';
import { SEG7_GLYPHS } from '../../ht16k33/framing/sevenSegment.ts';
import { loadLedVectors } from '../../ledkit/ledVectors.ts';
import { Max7219Chain } from '../sim/Max7219Chain.ts';
import { encodeDigits } from './digits.ts';
import { NO_DECODE_GLYPHS, noDecodeToHtOrder } from './glyphs.ts';
import { broadcastFrame, chainFrame, digitRegister, frame, intensity, ledControlInit, Register, shutdown, type RegisterWrite } from './registers.ts';

const perDigit = (digits: Uint8Array): RegisterWrite[] => [...digits].map((data, d) => ({ register: digitRegister(d), data }));

/** How ccgate produces each recorded library call, as chip-select windows. */
const PRODUCERS: Record<string, () => Uint8Array[]> = {
  max7219_ledcontrol_init_1dev: () => ledControlInit().map(frame),
  max7219_wake_and_intensity: () => [shutdown(true), intensity(8)].map(frame),
  max7219_42_nodecode: () => perDigit(encodeDigits('42', 8, 'noDecode')).map(frame),
  max7219_42_codeB: () => [{ register: Register.decodeMode, data: 0xff }, ...perDigit(encodeDigits('42', 8, 'codeB'))].map(frame),
  max7219_cascade4_dev1_row0: () => [chainFrame(4, [null, { register: digitRegister(0), data: 0xff }])],
  max7219_cascade4_all_intensity: () => [broadcastFrame(4, intensity(3))],
};

describe('MAX7219 framing against the LedControl vectors (fake SPI boundary)', () => {
  const vectors = loadLedVectors().max7219;

  it('covers every vector in the fixture', () => {
    expect(vectors.map((v) => v.name).sort()).toEqual(Object.keys(PRODUCERS).sort());
  });

  for (const v of vectors) {
    it(`${v.name}: ${v.input}`, async () => {
      const spi = new FakeSpiDevice();
      for (const w of PRODUCERS[v.name]!()) await spi.transfer(w);
      expect(spi.hexTransfers()).toEqual(v.spi_frames_hex);
    });
  }

  it('the simulated chain decodes the cascade vector: only device 1 row 0 changes', () => {
    const chain = new Max7219Chain(4, 0);
    chain.window(Buffer.from(vectors.find((v) => v.name === 'max7219_cascade4_dev1_row0')!.spi_frames_hex[0]!, 'hex'));
    expect(chain.devices.map((d) => d.digits[0])).toEqual([0, 0xff, 0, 0]);
    chain.window(Buffer.from('0A030A030A030A03', 'hex'));
    expect(chain.devices.map((d) => d.intensity)).toEqual([3, 3, 3, 3]);
  });

  it('a window shorter than the chain leaves older bytes to be executed again, as the shift registers do', () => {
    const chain = new Max7219Chain(2, 0);
    chain.window(Uint8Array.of(0x0a, 0x05, 0x0a, 0x09)); // device 1 ← 0A05, device 0 ← 0A09
    chain.window(Uint8Array.of(0x0a, 0x02)); // pushes 0A09 on to device 1, device 0 ← 0A02
    expect(chain.devices.map((d) => d.intensity)).toEqual([2, 9]);
  });
});

describe('MAX7219 glyph tables', () => {
  it('no-decode glyphs are the HT16K33 shapes in the MAX7219 segment order (DP A B C D E F G)', () => {
    for (const [ch, b] of Object.entries(NO_DECODE_GLYPHS)) expect([ch, noDecodeToHtOrder(b)]).toEqual([ch, SEG7_GLYPHS[ch]]);
    expect(Object.keys(NO_DECODE_GLYPHS).sort()).toEqual(Object.keys(SEG7_GLYPHS).sort());
  });

  it('puts the decimal point on the previous digit and blanks unknown characters', () => {
    expect([...encodeDigits('9.5', 4, 'noDecode')]).toEqual([0x5b, 0x7b | 0x80, 0, 0]);
    expect([...encodeDigits('1W', 4, 'codeB')]).toEqual([0x0f, 0x01, 0x0f, 0x0f]);
  });
});

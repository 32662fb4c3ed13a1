import { describe, expect, it } from 'vitest';
import { createBitmap } from '../../../../wallboard/bitmap/Bitmap.ts';
import { callDots, callString, charset, colour, flash } from '../commands/controls.ts';
import { writeSmallDots } from '../commands/dots.ts';
import { writeString } from '../commands/string.ts';
import { memoryConfig, runSequence, setDate, setDayOfWeek, setTime, setTimeFormat, softReset, tone } from '../commands/special.ts';
import { clearPriorityText, writeText } from '../commands/text.ts';
import { fromHex, loadAlphaVectors } from '../testing/vectors.ts';
import { ascii, concat, toHex } from './bytes.ts';
import { ColourCode, Ctl, Mode, Position } from './codes.ts';
import { encodePacket } from './packet.ts';

const hold = { mode: Mode.hold };
const all = { typeCode: 'Z', address: 0 };

/**
 * How each vector is built with the driver's encoders: the commands and
 * whether the library sent checksums. Every vector of the fixture has an
 * entry (checked below), so a new vector fails until it is built here.
 */
const BUILD: Record<string, { checksum: boolean; commands: () => Uint8Array[] }> = {
  'msparks/text_default_rotate': { checksum: false, commands: () => [writeText('A', 'HELLO')] },
  'msparks/text_hold_red': { checksum: false, commands: () => [writeText('A', concat(colour(ColourCode.red), ascii('WAITING 5')), hold)] },
  'msparks/text_with_call_string': { checksum: false, commands: () => [writeText('A', concat(ascii('Q:'), callString('1')), hold)] },
  'msparks/write_string_1': { checksum: false, commands: () => [writeString('1', '12')] },
  'msparks/write_string_2_sl': { checksum: false, commands: () => [writeString('2', '97%')] },
  'msparks/text_priority': { checksum: false, commands: () => [writeText('0', 'ALERT', { mode: Mode.flash })] },
  'msparks/text_priority_clear': { checksum: false, commands: () => [clearPriorityText()] },
  'msparks/text_top_line_speed5_special': {
    checksum: false,
    commands: () => [writeText('B', concat(Ctl.speed5, ascii('HI')), { position: Position.topLine, mode: Mode.special, special: 0x30 })],
  },
  // RGB colour (0x1C 'Z' RRGGBB) is Alpha 3.0: the driver never sends it, but the framing carries it unchanged.
  'msparks/text_rgb_color': { checksum: false, commands: () => [writeText('A', concat(Ctl.colour, ascii('ZFF0000X')), hold)] },
  'msparks/text_flash_inline': { checksum: false, commands: () => [writeText('A', concat(charset(0x33), flash(true), ascii('42'), flash(false)), hold)] },
  'msparks/clear_memory': { checksum: false, commands: () => [memoryConfig([])] },
  'msparks/allocate_string_text': {
    checksum: false,
    commands: () => [
      memoryConfig([
        { type: 'string', label: '1', size: 4 },
        { type: 'text', label: 'A', size: 64, start: 0xff, stop: 0xff },
        ...['1', '2', '3', '4', '5'].map((label) => ({ type: 'text' as const, label, size: 100, start: 0xfe, stop: 0xfe })),
      ]),
    ],
  },
  'msparks/run_sequence': { checksum: false, commands: () => [runSequence('T', false, ['A'])] },
  'msparks/beep': { checksum: false, commands: () => [tone({ frequency: 0, durationTenths: 5, repeat: 2 })] },
  'msparks/soft_reset': { checksum: false, commands: () => [softReset()] },
  'msparks/set_date': { checksum: false, commands: () => [setDate(12, 31, 2024)] },
  'msparks/set_day_of_week': { checksum: false, commands: () => [setDayOfWeek(1)] },
  'msparks/time_format_24h': { checksum: false, commands: () => [setTimeFormat('M')] },
  'alphasignpy/cs_text_hello': { checksum: true, commands: () => [writeText('A', 'HELLO')] },
  'alphasignpy/cs_text_hold_red': { checksum: true, commands: () => [writeText('A', concat(colour(ColourCode.red), ascii('WAITING 5')), hold)] },
  'alphasignpy/cs_string_1': { checksum: true, commands: () => [writeString('1', '12')] },
  'alphasignpy/nocs_string_1': { checksum: false, commands: () => [writeString('1', '12')] },
  'alphasignpy/cs_nested_two_strings': { checksum: true, commands: () => [writeString('1', '5'), writeString('2', '97%')] },
  'alphasignpy/memcfg_text_2strings': {
    checksum: false,
    commands: () => [
      memoryConfig([
        { type: 'text', label: 'A', size: 256, start: 0xff, stop: 0xff },
        { type: 'string', label: '1', size: 8 },
        { type: 'string', label: '2', size: 8 },
      ]),
    ],
  },
  'alphasignpy/set_time_1430': { checksum: false, commands: () => [setTime(14, 30)] },
  'alphasignpy/run_sequence_SUA': { checksum: false, commands: () => [runSequence('S', false, ['A'])] },
  'alphasignpy/small_dots_3x2': {
    checksum: false,
    commands: () => {
      const p = createBitmap(3, 2);
      p.data.set([1, 0, 0, 0, 1, 0]);
      return [writeSmallDots('P', p)];
    },
  },
  'alphasignpy/memcfg_dots_16x64': { checksum: false, commands: () => [memoryConfig([{ type: 'dots', label: 'P', rows: 16, columns: 64, depth: 'threeColour' }])] },
  'alphasignpy/text_call_dots': { checksum: false, commands: () => [writeText('B', callDots('P'), hold)] },
  // "Always" written FF00 (tenderlove, tastewar): the driver's default. The FFFF vectors above pass stop=FF explicitly.
  'tenderlove/memory_text_A_256': { checksum: false, commands: () => [memoryConfig([{ type: 'text', label: 'A', size: 256 }])] },
  'tenderlove/memory_string_0_32': { checksum: false, commands: () => [memoryConfig([{ type: 'string', label: '0', size: 32 }])] },
  'tenderlove/memory_dots_1_7x7': { checksum: false, commands: () => [memoryConfig([{ type: 'dots', label: '1', rows: 7, columns: 7, depth: 'eightColour' }])] },
  'tenderlove/memory_string_and_text': {
    checksum: false,
    commands: () => [memoryConfig([{ type: 'string', label: '0', size: 32 }, { type: 'text', label: 'A', size: 256 }])],
  },
  'tenderlove/nested_six_strings_no_checksum': {
    checksum: false,
    commands: () => ['11045.28 ', '2.41 ', '19.92 ', '16.56 ', '3.37 ', '16.47 '].map((v, i) => writeString(String(i), v)),
  },
};

describe('Alpha packet encoder against every vector of the fixture', () => {
  const vectors = loadAlphaVectors();

  it('has a builder for every vector and no builder without a vector', () => {
    expect(Object.keys(BUILD).sort()).toEqual(vectors.map((v) => v.id).sort());
  });

  for (const v of vectors) {
    it(`${v.id}: ${v.input}`, () => {
      const b = BUILD[v.id];
      expect(b, `no builder for ${v.id}`).toBeDefined();
      const bytes = encodePacket(b!.commands(), { ...all, checksum: b!.checksum });
      expect(toHex(bytes)).toBe(v.hex.toUpperCase());
      expect(bytes).toEqual(fromHex(v.hex));
    });
  }
});

describe('where the libraries disagree, the driver follows 9708-8061', () => {
  it('positions are 0x20 middle, 0x22 top, 0x26 bottom, 0x30 fill (msparks, tenderlove, tastewar), not alphasignpy\'s "1"/"0"/"2"/"&"', () => {
    expect(writeText('A', 'X', { position: Position.fill, mode: Mode.hold })).toEqual(Uint8Array.from([0x41, 0x41, 0x1b, 0x30, 0x62, 0x58]));
    expect(writeText('A', 'X', { position: Position.bottomLine, mode: Mode.hold })[3]).toBe(0x26);
  });

  it('DOTS memory entries are type D with depth 1000/2000/4000 (not prototux\'s C/8000)', () => {
    expect(memoryConfig([{ type: 'dots', label: 'P', rows: 7, columns: 20, depth: 'mono' }])).toEqual(ascii('E$PDU07141000'));
  });

  it('clear memory is a bare E$ (an empty table), not alphasignpy\'s E$$$$ which reads as a malformed entry', () => {
    expect(memoryConfig([])).toEqual(ascii('E$'));
  });

  it('a TEXT run time of "always" defaults to FF00: start FF means always and the stop code is ignored', () => {
    expect(memoryConfig([{ type: 'text', label: 'A', size: 16 }])).toEqual(ascii('E$AAU0010FF00'));
  });
});

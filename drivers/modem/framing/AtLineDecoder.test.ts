import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../gateway/core/Random.ts';
import type { AtFrame } from './AtFrame.ts';
import { AtLineDecoder } from './AtLineDecoder.ts';

/** Frames in a comparable shape: discarded bytes as hex. */
type F = { line: string; controlBytes?: number } | 'prompt' | { garbage: string } | { overlong: string };

function norm(frames: AtFrame[]): F[] {
  return frames.map((f) => {
    if (f.kind === 'line') return f.controlBytes === undefined ? { line: f.text } : { line: f.text, controlBytes: f.controlBytes };
    if (f.kind === 'prompt') return 'prompt';
    const hex = Buffer.from(f.bytes).toString('hex');
    return f.reason === 'garbage' ? { garbage: hex } : { overlong: hex };
  });
}

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

function decoder(expectPrompt = false, maxLineBytes?: number): AtLineDecoder {
  const d = new AtLineDecoder(maxLineBytes === undefined ? {} : { maxLineBytes });
  d.expectPrompt = expectPrompt;
  return d;
}

function feed(chunks: Uint8Array[], expectPrompt = false, maxLineBytes?: number): F[] {
  const d = decoder(expectPrompt, maxLineBytes);
  return norm(chunks.flatMap((c) => d.push(c)));
}

/** Whole, byte by byte, and split once at every offset: all must equal `want`. */
function expectAllSplits(bytes: Uint8Array, want: F[], expectPrompt = false, maxLineBytes?: number): void {
  expect(feed([bytes], expectPrompt, maxLineBytes)).toEqual(want);
  expect(feed([...bytes].map((b) => Uint8Array.of(b)), expectPrompt, maxLineBytes)).toEqual(want);
  for (let i = 0; i <= bytes.length; i++) {
    expect(feed([bytes.subarray(0, i), bytes.subarray(i)], expectPrompt, maxLineBytes), `split at ${i}`).toEqual(want);
  }
}

interface Vector {
  name: string;
  /** Hex, then what it means. */
  bytes: Uint8Array;
  expectPrompt?: boolean;
  frames: F[];
}

const VECTORS: Vector[] = [
  // STYLE.md rule 7 checklist
  { name: 'one frame', bytes: hex('0d0a 4f4b 0d0a'), frames: [{ line: 'OK' }] }, // \r\n OK \r\n
  {
    name: 'two frames in one chunk (P4: final then URC)',
    bytes: hex('0d0a 4f4b 0d0a 0d0a 2b434d54493a2022534d222c35 0d0a'), // \r\nOK\r\n\r\n+CMTI: "SM",5\r\n
    frames: [{ line: 'OK' }, { line: '+CMTI: "SM",5' }],
  },
  {
    name: 'bad frame (control byte 0x01 inside a line) between good ones',
    bytes: hex('4f4b 0d0a 41 01 42 0d0a 4f4b 0d0a'), // OK\r\n A\x01B \r\n OK\r\n
    frames: [{ line: 'OK' }, { garbage: '410142' }, { line: 'OK' }],
  },
  {
    name: 'leading garbage (baud mismatch bytes) then a result',
    bytes: hex('f8 e0 fe 80 0d0a 4f4b 0d0a'), // 4 high bytes \r\n OK\r\n
    frames: [{ garbage: 'f8e0fe80' }, { line: 'OK' }],
  },
  { name: 'partial frame at the end is held back', bytes: hex('4f4b 0d0a 2b43 5351'), frames: [{ line: 'OK' }] }, // OK\r\n +CSQ (no end)
  // P1 line-end oddities (scenario 8)
  { name: '\\r\\r\\n (SIM7600 URC)', bytes: hex('0d0d0a 2b525844544d463a2038 0d0d0a'), frames: [{ line: '+RXDTMF: 8' }] },
  { name: 'bare \\n before NO CARRIER (Sierra)', bytes: hex('0a 4e4f20434152524945 52 0d0a'), frames: [{ line: 'NO CARRIER' }] },
  {
    name: '+CSQ then \\r\\r\\n before OK (scenario 8)',
    bytes: hex('2b4353513a2032342c3939 0d0a 0d0d0a 4f4b 0d0a'), // +CSQ: 24,99\r\n\r\r\nOK\r\n
    frames: [{ line: '+CSQ: 24,99' }, { line: 'OK' }],
  },
  { name: 'blank-line run', bytes: hex('0d0a 0d0a 0d0a'), frames: [] },
  { name: 'leading NULs (SIM800 power-up) and a NUL inside', bytes: hex('00 00 0d0a 52 00 4459 0d0a'), frames: [{ line: 'RDY' }] },
  {
    name: 'echo ending in a lone CR, answer right after (python-gsmmodem CUSD)',
    bytes: hex('41542b43534d 0d 2b4353513a20312c32 0d0a'), // AT+CSM\r+CSQ: 1,2\r\n
    frames: [{ line: 'AT+CSM' }, { line: '+CSQ: 1,2' }],
  },
  {
    name: 'ESC echo then AT echo (gammu#115, scenario 7)',
    bytes: hex('1b 0d 4154 0d0d0a 4f4b 0d0a'), // \x1b\rAT\r\r\nOK\r\n
    frames: [{ garbage: '1b' }, { line: 'AT' }, { line: 'OK' }],
  },
  { name: 'trailing space kept (SIM800 UNDER_VOLTAGE WARNING )', bytes: hex('57 41 52 4e 20 0d0a'), frames: [{ line: 'WARN ' }] },
  { name: 'tab is text', bytes: hex('41 09 42 0d0a'), frames: [{ line: 'A\tB' }] },
  { name: 'latin1: a few high bytes in a text line survive', bytes: hex('43 61 66 e9 0d0a'), frames: [{ line: 'Caf\u00e9' }] },
  { name: 'DEL is garbage', bytes: hex('41 7f 0d0a'), frames: [{ garbage: '417f' }] },
  // Issue #9: control bytes in a caller ID are data, kept escaped; the same bytes elsewhere stay garbage
  {
    name: '+CLIP with a BEL inside the number is a line, the BEL escaped',
    bytes: hex('2b434c49503a2022 2b3237 07 313233 222c313435 0d0a'), // +CLIP: "+27\x07123",145\r\n
    frames: [{ line: '+CLIP: "+27\\x07123",145', controlBytes: 1 }],
  },
  {
    name: '+CLCC with ESC and DEL in the number, then OK',
    bytes: hex('2b434c43433a20312c312c302c302c302c22 1b 3132 7f 222c313239 0d0a 0d0a 4f4b 0d0a'), // +CLCC: 1,1,0,0,0,"\x1b12\x7f",129\r\n\r\nOK
    frames: [{ line: '+CLCC: 1,1,0,0,0,"\\x1b12\\x7f",129', controlBytes: 2 }, { line: 'OK' }],
  },
  {
    name: 'a data line of mostly latin1 bytes is kept as is (alpha tag), no escapes',
    bytes: hex('2b434c49503a20 e9e9e9e9e9e9e9e9 0d0a'), // +CLIP: éééééééé
    frames: [{ line: '+CLIP: \u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9' }],
  },
  { name: 'a control byte in a line that is not data is still garbage', bytes: hex('2b435351 07 0d0a'), frames: [{ garbage: '2b43535107' }] }, // +CSQ\x07
  { name: 'a data prefix must start the line', bytes: hex('41 2b434c49503a 01 0d0a'), frames: [{ garbage: '412b434c49503a01' }] }, // A+CLIP:\x01
  { name: 'Ctrl-Z echo after an SMS body is skipped', bytes: hex('3030 1a 0d0a'), frames: [{ line: '00' }] },
  // P2 prompt (scenario 12)
  { name: 'prompt "> " without line end', bytes: hex('3e 20'), expectPrompt: true, frames: ['prompt'] },
  { name: 'prompt ">" alone', bytes: hex('3e'), expectPrompt: true, frames: ['prompt'] },
  { name: '\\r\\n> ', bytes: hex('0d0a 3e20'), expectPrompt: true, frames: ['prompt'] },
  { name: '> \\r\\n', bytes: hex('3e20 0d0a'), expectPrompt: true, frames: ['prompt'] },
  {
    name: 'URCs before the prompt (ZTE +ZPASR, python-gsmmodem #11)',
    bytes: hex('2b5a50415352 0d0a 3e20 0d0a'), // +ZPASR\r\n> \r\n
    expectPrompt: true,
    frames: [{ line: '+ZPASR' }, 'prompt'],
  },
  {
    name: 'prompt then the payload echo and the answer',
    bytes: hex('0d0a 3e20 3030 1a 0d0a 2b434d47533a20 31 0d0a'), // \r\n> 00\x1a\r\n+CMGS: 1\r\n
    expectPrompt: true,
    frames: ['prompt', { line: '00' }, { line: '+CMGS: 1' }],
  },
  { name: '"> " is a line when no prompt is expected', bytes: hex('3e20 0d0a'), frames: [{ line: '> ' }] },
  {
    name: 'one prompt per expectation: a second ">" is a line',
    bytes: hex('3e20 0d0a 3e20 0d0a'), // > \r\n> \r\n
    expectPrompt: true,
    frames: ['prompt', { line: '> ' }],
  },
  { name: 'two spaces: only the first belongs to the prompt', bytes: hex('3e 20 20 41 0d0a'), expectPrompt: true, frames: ['prompt', { line: ' A' }] },
];

describe('AtLineDecoder vectors (whole, byte by byte, split at every offset)', () => {
  for (const v of VECTORS) {
    it(v.name, () => expectAllSplits(v.bytes, v.frames, v.expectPrompt ?? false));
  }
});

describe('AtLineDecoder limits and resync', () => {
  it('discards an overlong line with bounded memory and resyncs at the next line end', () => {
    const long = new Uint8Array(20).fill(0x41); // 20 × 'A', limit 8
    const bytes = Uint8Array.from([...long, 0x0d, 0x0a, 0x4f, 0x4b, 0x0d, 0x0a]);
    expectAllSplits(bytes, [{ overlong: '4141414141414141' }, { line: 'OK' }], false, 8);
  });

  it('a line of exactly the limit is kept', () => {
    expectAllSplits(hex('41424344 0d0a'), [{ line: 'ABCD' }], false, 4);
  });

  it('a 1 MiB line without end stays bounded and yields one overlong item', () => {
    const d = decoder(false, 4096);
    const frames = norm(d.push(new Uint8Array(1 << 20).fill(0x41)));
    expect(frames).toHaveLength(1);
    expect(norm(d.push(hex('0d0a 4f4b 0d0a')))).toEqual([{ line: 'OK' }]);
  });

  it('reset() forgets a partial line and a pending prompt space', () => {
    const d = decoder(true);
    expect(norm(d.push(hex('2b4353')))).toEqual([]);
    d.reset();
    expect(norm(d.push(hex('4f4b 0d0a')))).toEqual([{ line: 'OK' }]);
    expect(norm(d.push(hex('3e')))).toEqual(['prompt']);
    expect(d.expectPrompt).toBe(false);
    d.reset();
    expect(norm(d.push(hex('20 41 0d0a')))).toEqual([{ line: ' A' }]);
  });

  it('200 random bytes then \\r\\nOK\\r\\n: never throws, every byte accounted for, OK last (scenario 9)', () => {
    const rnd = new SeededRandom(9);
    for (let round = 0; round < 50; round++) {
      const noise = Uint8Array.from({ length: 200 }, () => Math.floor(rnd.next() * 256));
      const bytes = Uint8Array.from([...noise, 0x0d, 0x0a, 0x4f, 0x4b, 0x0d, 0x0a]);
      const whole = feed([bytes]);
      expect(whole.at(-1)).toEqual({ line: 'OK' });
      for (const f of whole) if (typeof f === 'object' && 'line' in f) expect(f.line).not.toMatch(/[\r\n\0]/);
      expect(feed([...bytes].map((b) => Uint8Array.of(b)))).toEqual(whole);
      for (let i = 0; i <= bytes.length; i += 7) expect(feed([bytes.subarray(0, i), bytes.subarray(i)])).toEqual(whole);
    }
  });

  it('every byte value survives in a line as latin1', () => {
    const printable = Uint8Array.from({ length: 95 }, (_, i) => 0x20 + i);
    const frames = feed([Uint8Array.from([...printable, 0x0d, 0x0a])]);
    expect(frames).toEqual([{ line: Buffer.from(printable).toString('latin1') }]);
    // 0xA0–0xFF mixed with enough ASCII stays a line, byte for byte.
    const mixed = Uint8Array.from([0x41, 0x42, 0x43, 0xa0, 0xff]);
    expect(feed([Uint8Array.from([...mixed, 0x0a])])).toEqual([{ line: 'ABC\u00a0\u00ff' }]);
  });
});

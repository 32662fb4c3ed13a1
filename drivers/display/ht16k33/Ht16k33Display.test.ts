import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { Colour, type Bitmap } from '../../../wallboard/bitmap/Bitmap.ts';
import type { Ht16k33Variant } from '../../../wallboard/config/BoardConfig.ts';
import { board, LONGEST, placeholder, SL, view, WAITING } from '../ledkit/testViews.ts';
import { encodeAlphanumeric4 } from './framing/alphanumeric.ts';
import { encodeSevenSegment4 } from './framing/sevenSegment.ts';
import { SEG7_DIGIT_X, SEG7_COLON_X } from './sim/renderHt16k33.ts';
import { simulateHt16k33Display, type SimulatedHt16k33 } from './simulateHt16k33Display.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const px = (bm: Bitmap, x: number, y: number): number => bm.data[y * bm.width + x] ?? -1;

let clock: FakeClock;
function sim(variant: Ht16k33Variant, addresses = [0x70, 0x71]): SimulatedHt16k33 {
  return simulateHt16k33Display(board({ kind: 'ht16k33', bus: 1, addresses, variant }), { clock, logger: capturingLogger().logger });
}

beforeEach(() => {
  clock = new FakeClock(Date.UTC(2026, 0, 5, 9, 0, 0));
});

describe('Ht16k33Display, 4-digit 7-segment modules', () => {
  it('opens with the Adafruit begin() sequence on every module, clearing the power-up garbage', async () => {
    const s = sim('sevenSegment4');
    expect(s.bus.chips.get(0x70)!.ram[0]).not.toBe(0);
    await s.display.open();
    for (const a of [0x70, 0x71]) expect(s.bus.hexWrites(a)).toEqual(['21', '00' + '00'.repeat(16), '81', 'EF']);
    expect([...s.bus.chips.get(0x71)!.ram]).toEqual(new Array(16).fill(0));
    expect(s.display.health()).toEqual({ ok: true, detail: 'ok', bytesWritten: 2 * 20 });
  });

  it('shows one value per module; an unchanged view writes nothing; a change writes only the changed bytes', async () => {
    const s = sim('sevenSegment4');
    await s.display.open();
    s.bus.clearLog();
    await s.display.show(view([WAITING('12'), LONGEST('02:15')]));
    // From blank, only RAM 0x06–0x08 differ ("1" at 0x06, "2" at 0x08): one write starting at 0x06.
    expect(s.bus.hexWrites(0x70)).toEqual(['0606005B']);
    expect(s.bus.chips.get(0x70)!.ram).toEqual(encodeSevenSegment4('12'));
    expect(s.bus.chips.get(0x71)!.ram).toEqual(encodeSevenSegment4('02:15'));
    expect(s.bus.chips.get(0x71)!.ram[4]).toBe(0x02); // the colon

    s.bus.clearLog();
    await s.display.show(view([WAITING('12'), LONGEST('02:15')]));
    expect(s.bus.transactions).toEqual([]);

    await s.display.show(view([WAITING('13'), LONGEST('02:15')]));
    // Only digit 4 (RAM 0x08) changed: a one-byte write at that address.
    expect(s.bus.hexWrites()).toEqual(['084F']);
    expect(s.bus.violations).toEqual([]);
  });

  it('renders digits as segments: "2:15" lights the colon and the segments of 2, 1, 5', async () => {
    const s = sim('sevenSegment4', [0x70]);
    await s.display.open();
    await s.display.show(view([LONGEST('2:15')]));
    const bm = s.render();
    const x1 = SEG7_DIGIT_X[1];
    const x3 = SEG7_DIGIT_X[3];
    // Digit 0 blank; digit 1 = "2": A, B, G, E, D lit, F and C dark.
    expect(px(bm, SEG7_DIGIT_X[0] + 2, 0)).toBe(Colour.off);
    expect([px(bm, x1 + 2, 0), px(bm, x1 + 4, 2), px(bm, x1 + 2, 4), px(bm, x1, 6), px(bm, x1 + 2, 8)]).toEqual(new Array(5).fill(Colour.red));
    expect([px(bm, x1, 2), px(bm, x1 + 4, 6)]).toEqual([Colour.off, Colour.off]);
    expect([px(bm, SEG7_COLON_X, 2), px(bm, SEG7_COLON_X, 6)]).toEqual([Colour.red, Colour.red]);
    // Digit 3 = "5": F and C lit, B and E dark.
    expect([px(bm, x3, 2), px(bm, x3 + 4, 6), px(bm, x3 + 4, 2), px(bm, x3, 6)]).toEqual([Colour.red, Colour.red, Colour.off, Colour.off]);
    // Blank, "2", colon, "1", "5" (4 columns per digit, 1 for the colon).
    expect(s.terminal().split('\n').slice(0, 3)).toEqual(['     _        _  ', '     _| .  | |_  ', '    |_  .  |  _| ']);
  });

  it('blinks a critical value with the chip blink (0x85, 1 Hz) on its module only', async () => {
    const s = sim('sevenSegment4');
    await s.display.open();
    await s.display.show(view([WAITING('12'), LONGEST('04:10')]));
    s.bus.clearLog();
    await s.display.show(view([WAITING('12'), LONGEST('04:10', 'crit')]));
    expect(s.bus.transactions.map((t) => [t.address, hex(t.bytes)])).toEqual([[0x71, '85']]);
    clock.advanceTo(Math.ceil(clock.now() / 1000) * 1000 + 100); // on half of the 1 Hz blink
    const lit = s.render();
    clock.advance(500); // off half
    const dark = s.render();
    const digitX = 33 + SEG7_DIGIT_X[3] + 2; // module 1, digit 3, segment A
    expect([px(lit, digitX, 0), px(dark, digitX, 0)]).toEqual([Colour.red, Colour.off]);
    expect(px(dark, SEG7_DIGIT_X[3] + 2, 0)).toBe(Colour.red); // module 0 does not blink
    await s.display.show(view([WAITING('12'), LONGEST('04:10')]));
    expect(s.bus.hexWrites(0x71).at(-1)).toBe('81');
  });

  it('sets the dimming from view.brightness on every module (dim render below 8)', async () => {
    const s = sim('sevenSegment4');
    await s.display.open();
    await s.display.show(view([WAITING('1'), SL('97%')], { brightness: 4 }));
    expect(s.bus.hexWrites(0x70).at(-1)).toBe('E4');
    expect(s.bus.hexWrites(0x71).at(-1)).toBe('E4');
    expect(s.bus.chips.get(0x71)!.ram).toEqual(encodeSevenSegment4('97'));
    expect(s.render().data.filter((c) => c !== 0).every((c) => c === Colour.dimRed)).toBe(true);
  });

  it('shows dashes on every module for a placeholder view', async () => {
    const s = sim('sevenSegment4');
    await s.display.open();
    await s.display.show(view([WAITING('12', 'crit'), LONGEST('02:15')]));
    await s.display.show(placeholder([WAITING('12'), LONGEST('02:15')]));
    for (const a of [0x70, 0x71]) {
      expect(s.bus.chips.get(a)!.ram).toEqual(encodeSevenSegment4('----'));
      expect(s.bus.chips.get(a)!.blink).toBe(0);
    }
  });

  it('reports a module that stops answering, keeps the others going, and re-initialises it when it is back', async () => {
    const { logger, records } = capturingLogger();
    const s = simulateHt16k33Display(board({ kind: 'ht16k33', bus: 1, addresses: [0x70, 0x71], variant: 'sevenSegment4' }), { clock, logger });
    await s.display.open();
    await s.display.show(view([WAITING('12'), LONGEST('02:15')]));
    s.bus.unplug(0x71);
    await s.display.show(view([WAITING('13'), LONGEST('02:20')]));
    expect(s.bus.chips.get(0x70)!.ram).toEqual(encodeSevenSegment4('13'));
    const h = s.display.health();
    expect(h.ok).toBe(false);
    expect(h.detail).toMatch(/0x71: .*not acknowledged \(EREMOTEIO\)/);
    expect(records.some((r) => r.level === 'warn' && r.msg === 'display fault')).toBe(true);

    // Still gone at the first retry: one failed attempt, nothing else.
    s.bus.clearLog();
    clock.advance(5000);
    await s.display.settled();
    expect(s.bus.transactions.map((t) => [t.address, t.ok])).toEqual([[0x71, false]]);

    s.bus.plug(0x71); // powers up with garbage RAM, display off
    s.bus.clearLog();
    clock.advance(5000);
    await s.display.settled();
    expect(s.bus.hexWrites(0x71)).toEqual(['21', `00${hex(encodeSevenSegment4('02:20'))}`, '81', 'EF']);
    expect(s.bus.hexWrites(0x70)).toEqual([]);
    expect(s.display.health()).toMatchObject({ ok: true, detail: 'ok' });
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('reports a missing bus (no /dev/i2c-1, or no i2c-bus package) without throwing, and retries', async () => {
    const s = sim('sevenSegment4');
    s.bus.openFails = true;
    await s.display.open();
    await s.display.show(view([WAITING('7')]));
    expect(s.display.health()).toMatchObject({ ok: false, detail: expect.stringContaining('i2c-1: cannot open') });
    expect(s.bus.transactions).toEqual([]);
    s.bus.openFails = false;
    clock.advance(5000);
    await s.display.settled();
    expect(s.bus.chips.get(0x70)!.ram).toEqual(encodeSevenSegment4('7'));
    expect(s.display.health().ok).toBe(true);
  });
});

describe('Ht16k33Display, quad alphanumeric modules', () => {
  it('shows "W 12" when label and value fit, else alternates the short label and the value every 2 s', async () => {
    const s = sim('alphanumeric4');
    await s.display.open();
    await s.display.show(view([WAITING('12'), LONGEST('02:15')]));
    expect(s.bus.chips.get(0x70)!.ram).toEqual(encodeAlphanumeric4('W 12'));
    expect(s.bus.chips.get(0x71)!.ram).toEqual(encodeAlphanumeric4('LONG'));
    expect(s.terminal().split('\n')[0]).toBe('[W 12]  [LONG]');
    clock.advance(2000);
    await s.display.settled();
    expect(s.bus.chips.get(0x71)!.ram).toEqual(encodeAlphanumeric4('02.15'));
    expect(s.terminal().split('\n')[0]).toBe('[W 12]  [02.15]');
    clock.advance(2000);
    await s.display.settled();
    expect(s.bus.chips.get(0x71)!.ram).toEqual(encodeAlphanumeric4('LONG'));
    await s.display.close();
    expect(clock.pendingTimers()).toEqual([]);
  });
});

describe('Ht16k33Display, 8×8 matrices', () => {
  it('scrolls label and value across the modules on the clock, blinks when critical, stops on close', async () => {
    const s = sim('matrix8x8');
    await s.display.open();
    await s.display.show(view([WAITING('12', 'crit')]));
    const first = s.render();
    expect(s.bus.chips.get(0x70)!.blink).toBe(2);
    let moved = false;
    for (let i = 0; i < 40; i++) {
      clock.advance(50);
      await s.display.settled();
      const now = s.render();
      if (now.data.some((v, k) => v !== first.data[k])) moved = true;
    }
    expect(moved).toBe(true);
    expect(s.bus.violations).toEqual([]);
    // Each scroll step rewrites only modules whose pixels changed.
    expect(s.bus.transactions.every((t) => t.bytes.length <= 17)).toBe(true);
    await s.display.close();
    expect(clock.pendingTimers()).toEqual([]);
    const before = s.bus.transactions.length;
    clock.advance(1000);
    expect(s.bus.transactions.length).toBe(before);
  });

  it('stands a short text still, centred, with no timer', async () => {
    const s = sim('matrix8x8', [0x70, 0x71, 0x72, 0x73]);
    await s.display.open();
    await s.display.show(placeholder([WAITING('1')]));
    expect(clock.pendingTimers()).toEqual([]);
    const lit = s.render().data.reduce((n, v) => n + (v ? 1 : 0), 0);
    expect(lit).toBeGreaterThan(0);
    expect(s.terminal()).toContain('#');
  });
});

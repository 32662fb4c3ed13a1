import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { Colour, type Bitmap } from '../../../wallboard/bitmap/Bitmap.ts';
import type { Max7219Variant } from '../../../wallboard/config/BoardConfig.ts';
import { board, LONGEST, placeholder, SL, view, WAITING } from '../ledkit/testViews.ts';
import { encodeDigits } from './framing/digits.ts';
import { digitX } from './sim/renderMax7219.ts';
import { simulateMax7219Display, type SimulatedMax7219 } from './simulateMax7219Display.ts';

const px = (bm: Bitmap, x: number, y: number): number => bm.data[y * bm.width + x] ?? -1;
const digitsOf = (left: string, right: string): number[] => [...encodeDigits(right, 4, 'noDecode'), ...encodeDigits(left, 4, 'noDecode')];

let clock: FakeClock;
function sim(variant: Max7219Variant, chain = 1): SimulatedMax7219 {
  return simulateMax7219Display(board({ kind: 'max7219', spiBus: 0, spiDevice: 0, chain, variant, speedHz: 1_000_000 }), { clock, logger: capturingLogger().logger });
}

beforeEach(() => {
  // On a whole second, so the 500 ms software blink phases are easy to name.
  clock = new FakeClock(Date.UTC(2026, 0, 5, 9, 0, 0));
});

describe('Max7219Display, 8-digit 7-segment chain', () => {
  it('opens by setting every register, digits before the wake-up, one latch per register', async () => {
    const s = sim('sevenSegment8');
    await s.display.open();
    expect(s.spi.hexTransfers()).toEqual(['0F00', '0B07', '0900', '0100', '0200', '0300', '0400', '0500', '0600', '0700', '0800', '0A0F', '0C01']);
    expect(s.spi.openedWith).toEqual({ bus: 0, device: 0, speedHz: 1_000_000 });
    expect(s.display.health()).toEqual({ ok: true, detail: 'ok', bytesWritten: 26 });
  });

  it('shows two items per device, device 0 leftmost; an unchanged view sends nothing; a change sends only its digits', async () => {
    const s = sim('sevenSegment8', 2);
    await s.display.open();
    s.spi.clearLog();
    await s.display.show(view([WAITING('12'), LONGEST('02:15'), SL('97%')]));
    expect([...s.spi.chain.devices[0]!.digits]).toEqual(digitsOf('12', '02.15'));
    expect([...s.spi.chain.devices[1]!.digits]).toEqual(digitsOf('97', ''));
    // Every window carries both devices (farthest first), a no-op where a device has nothing new.
    expect(s.spi.hexTransfers().every((h) => h.length === 8)).toBe(true);

    s.spi.clearLog();
    await s.display.show(view([WAITING('12'), LONGEST('02:15'), SL('97%')]));
    expect(s.spi.transfers).toEqual([]);

    await s.display.show(view([WAITING('13'), LONGEST('02:15'), SL('97%')]));
    // "13" vs "12": only digit 4 (register 0x05) of device 0 changes ("3" = 0x79); device 1 gets a no-op.
    expect(s.spi.hexTransfers()).toEqual(['00000579']);
    expect(s.spi.violations).toEqual([]);
  });

  it('renders digits pixel by pixel: "02.15" on the right half', async () => {
    const s = sim('sevenSegment8');
    await s.display.open();
    await s.display.show(view([WAITING('7'), LONGEST('02:15')]));
    const bm = s.render();
    const two = digitX(0, 2); // digits 3..0 hold "0", "2.", "1", "5"
    expect([px(bm, two + 2, 0), px(bm, two + 4, 2), px(bm, two + 2, 4), px(bm, two, 6), px(bm, two + 2, 8), px(bm, two + 5, 8)]).toEqual(new Array(6).fill(Colour.red));
    expect([px(bm, two, 2), px(bm, two + 4, 6)]).toEqual([Colour.off, Colour.off]);
    const seven = digitX(0, 4);
    expect([px(bm, seven + 2, 0), px(bm, seven + 4, 6), px(bm, seven + 2, 4)]).toEqual([Colour.red, Colour.red, Colour.off]);
    expect(s.terminal().split('\n')[3]).toBe('int 15');
  });

  it('flashes a critical item by blanking its digits on the clock, leaving the other item steady', async () => {
    const s = sim('sevenSegment8');
    await s.display.open();
    await s.display.show(view([WAITING('12', 'crit'), LONGEST('02:15')]));
    expect([...s.spi.chain.devices[0]!.digits]).toEqual(digitsOf('12', '02.15'));
    s.spi.clearLog();
    clock.advance(500);
    await s.display.settled();
    expect([...s.spi.chain.devices[0]!.digits]).toEqual(digitsOf('', '02.15'));
    expect(s.spi.hexTransfers()).toEqual(['0500', '0600']);
    clock.advance(500);
    await s.display.settled();
    expect([...s.spi.chain.devices[0]!.digits]).toEqual(digitsOf('12', '02.15'));
    await s.display.show(view([WAITING('12'), LONGEST('02:15')]));
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('sets intensity from view.brightness in one latch; placeholder shows dashes', async () => {
    const s = sim('sevenSegment8', 2);
    await s.display.open();
    await s.display.show(view([WAITING('1')]));
    s.spi.clearLog();
    await s.display.show(view([WAITING('1')], { brightness: 4 }));
    expect(s.spi.hexTransfers()).toEqual(['0A040A04']);
    expect(s.render().data.filter((c) => c !== 0).every((c) => c === Colour.dimRed)).toBe(true);
    await s.display.show(placeholder([WAITING('1')]));
    for (const d of s.spi.chain.devices) expect([...d.digits]).toEqual(new Array(8).fill(0x01));
  });

  it('reports a failed transfer, retries on the clock and re-sends every register', async () => {
    const s = sim('sevenSegment8');
    await s.display.open();
    await s.display.show(view([WAITING('12')]));
    s.spi.failNext(1);
    s.spi.chain.powerCycle(); // the brown-out that garbled the transfer also reset the chip
    await s.display.show(view([WAITING('14')]));
    expect(s.display.health()).toMatchObject({ ok: false, detail: expect.stringContaining('spidev0.0: write failed (EIO)') });
    s.spi.clearLog();
    clock.advance(5000);
    await s.display.settled();
    expect(s.spi.transfers).toHaveLength(13);
    expect([...s.spi.chain.devices[0]!.digits]).toEqual(digitsOf('14', ''));
    expect(s.spi.chain.devices[0]!.shutdown).toBe(1);
    expect(s.display.health().ok).toBe(true);
  });

  it('reports a missing /dev/spidev without throwing and opens it when it appears', async () => {
    const s = sim('sevenSegment8');
    s.spi.openFails = true;
    await s.display.open();
    await s.display.show(view([WAITING('3')]));
    expect(s.display.health()).toMatchObject({ ok: false, detail: expect.stringContaining('spidev0.0: cannot open') });
    s.spi.openFails = false;
    clock.advance(5000);
    await s.display.settled();
    expect([...s.spi.chain.devices[0]!.digits]).toEqual(digitsOf('3', ''));
    expect(s.display.health().ok).toBe(true);
  });
});

describe('Max7219Display, 8×8 matrix chain', () => {
  it('scrolls across the chain, flashes by toggling shutdown on every device in one latch, stops on close', async () => {
    const s = sim('matrix8x8', 4);
    await s.display.open();
    await s.display.show(view([WAITING('12', 'crit'), LONGEST('02:15')]));
    const frames = new Set<string>();
    const shutdowns: string[] = [];
    for (let i = 0; i < 30; i++) {
      clock.advance(50);
      await s.display.settled();
      frames.add(s.terminal());
    }
    for (const h of s.spi.hexTransfers()) if (h.startsWith('0C')) shutdowns.push(h);
    expect(frames.size).toBeGreaterThan(10);
    expect(shutdowns).toContain('0C000C000C000C00');
    expect(shutdowns).toContain('0C010C010C010C01');
    expect(s.spi.violations).toEqual([]);
    await s.display.close();
    expect(clock.pendingTimers()).toEqual([]);
    expect(s.spi.isClosed).toBe(true);
  });

  it('stands a placeholder still, centred, with no timer', async () => {
    const s = sim('matrix8x8', 4);
    await s.display.open();
    await s.display.show(placeholder([WAITING('1')]));
    expect(clock.pendingTimers()).toEqual([]);
    const bm = s.render();
    const lit = [...bm.data.keys()].filter((i) => bm.data[i]).map((i) => i % bm.width);
    expect(lit.length).toBeGreaterThan(0);
    expect(Math.min(...lit) + Math.max(...lit)).toBeGreaterThanOrEqual(30); // roughly centred in 32 columns
    expect(Math.min(...lit) + Math.max(...lit)).toBeLessThanOrEqual(32);
  });
});

import { describe, expect, it } from 'vitest';
import { Colour } from '../../../../wallboard/bitmap/Bitmap.ts';
import { FakeClock } from '../../../../gateway/core/FakeClock.ts';
import { silentLogger } from '../../../../gateway/core/Logger.ts';
import { loadUnifont } from '../../../../wallboard/text/unifont.ts';
import { simulateAlphaDisplay } from '../simulateAlphaDisplay.ts';
import { alphaBoard, item, view } from '../testing/boards.ts';
import { pictureCapacity } from './capacity.ts';
import { unifontLabelRenderer } from './unifontRenderer.ts';

const render = unifontLabelRenderer(() => loadUnifont({ systemHexPath: null }));
const sign = { rows: 16, columns: 160 };

describe('items per page on a sign whose labels are pictures', () => {
  it('counts whole items of the widest label per line, times the lines', () => {
    const items = [item('callsWaiting', '0'), item('longestWait', '00:00')];
    // 100 px label + space + 5 value characters of 6 px = 136 px: one per 160-column line.
    expect(pictureCapacity(sign, 'fa', items, () => 100)).toBe(1);
    // 40 px labels: 40 + 6 + 30 = 76 px, two with the 12 px gap make 164 > 160, so still one…
    expect(pictureCapacity(sign, 'fa', items, () => 40)).toBe(1);
    // …and 36 px labels make 72 + 12 + 72 = 156: two.
    expect(pictureCapacity(sign, 'fa', items, () => 36)).toBe(2);
    // Two 16-row lines on a 32-row sign.
    expect(pictureCapacity({ rows: 32, columns: 160 }, 'fa', items, () => 36)).toBe(4);
    // A label that cannot be drawn is measured as its Latin short label: WAIT 24 px + 6 + 3 digits 18 = 48, two of them and a gap 108, three 168.
    expect(pictureCapacity(sign, 'fa', [item('callsWaiting', '0')], () => null)).toBe(2);
  });

  it('a Persian board of long labels on a 16×160 sign shows one whole item per page, none cut at the edge', async () => {
    const board = alphaBoard({ rows: 16, columns: 160 }, { lang: 'fa', items: ['callsWaiting', 'longestWait', 'serviceLevelToday'] });
    const sim = simulateAlphaDisplay(board, { clock: new FakeClock(), logger: silentLogger, render });
    const items = [
      item('callsWaiting', '0', 'ok', { label: 'در انتظار', value: '۰' }),
      item('longestWait', '00:00', 'ok', { label: 'بیشترین انتظار', value: '۰۰:۰۰' }),
      item('serviceLevelToday', '97%', 'ok', { label: 'سطح خدمت امروز', value: '۹۷٪' }),
    ];
    // The character count alone would put two on a line.
    expect(sim.display.capacity).toBe(2);
    const perPage = sim.display.capacityFor!(items);
    expect(perPage).toBe(1);
    await sim.display.open();
    for (let page = 0; page < items.length; page++) {
      await sim.display.show(view(items, { lang: 'fa', dir: 'rtl', perPage, page }));
      // Every amber pixel of the page's label picture is on the sign: nothing fell off its edge.
      const shown = sim.render().data.filter((p) => p === Colour.amber).length;
      const called = sim.simulator.text().match(/\[dots (.)\]/)![1]!;
      const picture = sim.simulator.memory.dots.get(called)!;
      expect(shown).toBe(picture.data.filter((p) => p === Colour.amber).length);
    }
  });

  it('short Chinese labels still share a line, and English keeps counting characters', () => {
    const zh = simulateAlphaDisplay(alphaBoard({ rows: 16, columns: 160 }, { lang: 'zh' }), { clock: new FakeClock(), logger: silentLogger, render });
    expect(zh.display.capacityFor!([item('callsWaiting', '0', 'ok', { label: '排队' }), item('agentsReady', '3', 'ok', { label: '空闲' })])).toBe(2);
    const en = simulateAlphaDisplay(alphaBoard({ rows: 16, columns: 160 }), { clock: new FakeClock(), logger: silentLogger, render });
    expect(en.display.capacityFor!([item('longestWait', '00:00', 'ok', { label: 'Longest wait' })])).toBe(en.display.capacity);
  });
});

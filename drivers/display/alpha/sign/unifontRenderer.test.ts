import { describe, expect, it } from 'vitest';
import { Colour } from '../../../../wallboard/bitmap/Bitmap.ts';
import { loadUnifont } from '../../../../wallboard/text/unifont.ts';
import { FakeClock } from '../../../../gateway/core/FakeClock.ts';
import { silentLogger } from '../../../../gateway/core/Logger.ts';
import { simulateAlphaDisplay } from '../simulateAlphaDisplay.ts';
import { alphaBoard, item, view } from '../testing/boards.ts';
import { unifontLabelRenderer } from './unifontRenderer.ts';

// Only the shipped subset: what every unit has, whatever the host installed.
const render = unifontLabelRenderer(() => loadUnifont({ systemHexPath: null }));

describe('labels and messages drawn with the wallboard text renderer (GNU Unifont)', () => {
  it('a Persian label is a 16-row amber picture, the value a Western-digit STRING beside it', async () => {
    const sim = simulateAlphaDisplay(alphaBoard({ rows: 16, columns: 160 }, { lang: 'fa' }), { clock: new FakeClock(), logger: silentLogger, render });
    await sim.display.open();
    await sim.display.show(view([item('callsWaiting', '12', 'ok', { label: 'در انتظار', value: '۱۲' })], { lang: 'fa', dir: 'rtl' }));
    const pic = sim.simulator.memory.dots.get('7')!;
    expect(pic.height).toBe(16);
    expect(pic.width).toBeGreaterThan(20);
    expect(new Set(pic.data)).toEqual(new Set([Colour.off, Colour.amber]));
    expect(sim.simulator.text()).toBe('12 [dots 7]');
  });

  it('a Chinese critical message is drawn red into the message picture and called from the priority TEXT in FLASH', async () => {
    const sim = simulateAlphaDisplay(alphaBoard({ rows: 16, columns: 160 }, { lang: 'zh' }), { clock: new FakeClock(), logger: silentLogger, render });
    await sim.display.open();
    const v = view([item('callsWaiting', '3', 'ok', { label: '排队' })], { lang: 'zh', dir: 'ltr' });
    await sim.display.show({ ...v, message: { text: '排队', level: 'critical', until: 1 }, messageTurn: true });
    expect(sim.simulator.shownLabel()).toBe('0');
    expect(sim.simulator.segments()).toEqual([{ kind: 'dots', label: 'z' }]);
    expect(sim.simulator.memory.texts.get('0')?.mode).toBe(0x63); // FLASH
    const msg = sim.simulator.memory.dots.get('z')!;
    expect([msg.width, msg.height]).toEqual([32, 16]);
    expect(msg.data.some((p) => p === Colour.red)).toBe(true);
    expect(sim.simulator.memory.beeps).toBe(1);
    expect(sim.render().data.filter((p) => p === Colour.red).length).toBe(msg.data.filter((p) => p === Colour.red).length);
  });
});

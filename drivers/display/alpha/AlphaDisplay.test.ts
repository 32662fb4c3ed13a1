import { describe, expect, it } from 'vitest';
import { createBitmap, Colour } from '../../../wallboard/bitmap/Bitmap.ts';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import type { BoardConfig } from '../../../wallboard/config/BoardConfig.ts';
import type { AlphaCommand } from './commands/parse.ts';
import { latin1 } from './framing/bytes.ts';
import type { LabelRenderer } from './sign/layout.ts';
import { simulateAlphaDisplay } from './simulateAlphaDisplay.ts';
import { alphaBoard, item, view } from './testing/boards.ts';

function rig(board: BoardConfig = alphaBoard(), render: LabelRenderer | null = null) {
  const clock = new FakeClock();
  const { logger, records } = capturingLogger('info');
  const sim = simulateAlphaDisplay(board, { clock, logger, render });
  /** Commands of each packet received since the last call, as `kind label` strings. */
  const took = (): string[][] =>
    sim.simulator.takePackets().map((p) => {
      expect(p.packet.commands.every((c) => c.checksum === 'ok')).toBe(true);
      return p.commands.map(describe1);
    });
  return { clock, records, sim, took, display: sim.display };
}

function describe1(c: AlphaCommand): string {
  switch (c.kind) {
    case 'writeText':
      return `A${c.label}`;
    case 'writeString':
      return `G${c.label}=${latin1(c.data)}`;
    case 'writeDots':
      return `I${c.label}`;
    case 'memoryConfig':
      return `E$${c.entries.map((e) => e.label + e.type[0]).join(',')}`;
    case 'runSequence':
      return `E.${c.order}${c.labels.join('')}`;
    case 'tone':
      return `E(${c.data}`;
    case 'dimming':
      return `E/${c.data}`;
    default:
      return c.kind;
  }
}

const live = (waiting: string, sl: string, lw: 'ok' | 'warn' | 'crit' = 'ok') => view([item('callsWaiting', waiting, lw), item('serviceLevelToday', sl)]);

describe('AlphaDisplay on a simulated sign', () => {
  it('lays the sign out on the first show: memory map, run sequence, page TEXT in HOLD with CALL STRING slots, every STRING', async () => {
    const { display, took, sim } = rig();
    await display.open();
    expect(display.health()).toEqual({ ok: true, detail: 'ok', bytesWritten: 0 });
    await display.show(live('3', '97%'));
    // A0 clears any priority message a previous run may have left on the sign.
    expect(took()).toEqual([['E$At,6s,7s'], ['E.SA'], ['AA'], ['G6=\x1c23', 'G7=\x1c297%'], ['A0'], ['E/0000']]);
    expect(sim.simulator.memory.texts.get('A')?.mode).toBe(0x62); // HOLD
    // 16 rows hold two lines of the 7-high font: one item per line.
    expect(sim.simulator.text()).toBe('Waiting 3\nSL 97%');
    expect(display.health().bytesWritten).toBe(sim.bytes());
    expect(display.lastWrite().relayout).toBe(true);
  });

  it('a KPI change sends only its STRING, in its threshold colour; an unchanged view sends nothing', async () => {
    const { display, took, sim } = rig();
    await display.open();
    await display.show(live('3', '97%'));
    took();
    const before = sim.bytes();
    await display.show(live('12', '97%', 'crit'));
    expect(took()).toEqual([['G6=\x1c112']]);
    expect(sim.simulator.segments()).toContainEqual({ kind: 'text', text: '12', colour: Colour.red, flash: false });
    expect(display.lastWrite()).toEqual({ bytes: sim.bytes() - before, packets: 1, relayout: false });
    const mark = sim.bytes();
    await display.show(live('12', '97%', 'crit'));
    expect(sim.bytes()).toBe(mark);
    expect(took()).toEqual([]);
  });

  it('several changed figures go nested in one packet', async () => {
    const { display, took, sim } = rig();
    await display.open();
    await display.show(live('3', '97%'));
    took();
    await display.show(live('4', '88%', 'warn'));
    expect(took()).toEqual([['G6=\x1c34', 'G7=\x1c288%']]);
    expect(sim.simulator.text()).toBe('Waiting 4\nSL 88%');
  });

  it('a page turn rewrites TEXT A only; the other page keeps its STRINGs current', async () => {
    const { display, took, sim } = rig(alphaBoard({ rows: 7, columns: 80 }));
    const items = [item('callsWaiting', '3'), item('serviceLevelToday', '97%')];
    await display.open();
    await display.show(view(items, { perPage: 1 }));
    took();
    expect(sim.simulator.text()).toBe('Waiting 3');
    await display.show(view(items, { perPage: 1, page: 1 }));
    expect(took()).toEqual([['AA']]);
    expect(sim.simulator.text()).toBe('SL 97%');
  });

  it('a placeholder view shows -- dimmed, never in an alarm colour', async () => {
    const { display, sim } = rig();
    await display.open();
    await display.show(live('12', '40%', 'crit'));
    await display.show({ ...live('12', '40%', 'crit'), state: 'placeholder' });
    expect(sim.simulator.text()).toBe('Waiting --\nSL --');
    expect(sim.simulator.segments().filter((s) => s.kind === 'text' && s.text === '--')).toEqual([
      { kind: 'text', text: '--', colour: Colour.dimGreen, flash: false },
      { kind: 'text', text: '--', colour: Colour.dimGreen, flash: false },
    ]);
  });

  it('a value wider than its slot grows the slot: one re-layout, then STRING-only again', async () => {
    const { display, took, sim } = rig();
    await display.open();
    await display.show(live('3', '97%'));
    took();
    await display.show(live('1234', '97%'));
    expect(took()[0]).toEqual(['E$At,6s,7s']);
    expect(sim.simulator.memory.entries.find((e) => e.label === '6')).toMatchObject({ size: 4 + 6 });
    expect(sim.simulator.text()).toBe('Waiting 1234\nSL 97%');
    await display.show(live('999', '97%'));
    expect(took()).toEqual([['G6=\x1c2999']]);
  });

  it('on a single-colour sign a critical value flashes (07 1 … 07 0) and others are plain', async () => {
    const { display, took, sim } = rig(alphaBoard({ colour: false }));
    await display.open();
    await display.show(live('3', '97%'));
    took();
    await display.show(live('15', '97%', 'crit'));
    expect(took()).toEqual([['G6=\x07115\x070']]);
    expect(sim.simulator.segments()).toContainEqual({ kind: 'text', text: '15', colour: 1, flash: true });
  });

  it('a critical message takes priority TEXT 0 in FLASH with one beep; its end clears A0 and the page is back untouched', async () => {
    const { display, took, sim } = rig();
    await display.open();
    await display.show(live('3', '97%'));
    took();
    const message = { text: 'Fire drill 14:00', level: 'critical' as const, until: 1 };
    await display.show({ ...live('3', '97%'), message, messageTurn: true });
    expect(took()).toEqual([['A0'], ['E(20050']]);
    expect(sim.simulator.shownLabel()).toBe('0');
    expect(sim.simulator.segments()).toEqual([{ kind: 'text', text: 'Fire drill 14:00', colour: Colour.red, flash: true }]);
    await display.show({ ...live('4', '97%'), message, messageTurn: false });
    expect(took()).toEqual([['G6=\x1c24'], ['A0']]);
    expect(sim.simulator.text()).toBe('Waiting 4\nSL 97%');
    // Its next turn shows it again without a second beep.
    await display.show({ ...live('4', '97%'), message, messageTurn: true });
    expect(took()).toEqual([['A0']]);
    expect(sim.simulator.memory.beeps).toBe(1);
  });

  it('no beep for an info message or when the board has beepOnCritical off', async () => {
    const { display, sim } = rig(alphaBoard({}, { beepOnCritical: false }));
    await display.open();
    await display.show({ ...live('3', '97%'), message: { text: 'x', level: 'critical', until: 1 }, messageTurn: true });
    const info = rig();
    await info.display.open();
    await info.display.show({ ...live('3', '97%'), message: { text: 'Team meeting', level: 'info', until: 1 }, messageTurn: true });
    expect(sim.simulator.memory.beeps + info.sim.simulator.memory.beeps).toBe(0);
    expect(info.sim.simulator.segments()).toEqual([{ kind: 'text', text: 'Team meeting', colour: Colour.green, flash: false }]);
  });

  it('brightness goes to the dimming register only when its level changes', async () => {
    const { display, took } = rig();
    await display.open();
    await display.show(live('3', '97%'));
    took();
    await display.show({ ...live('3', '97%'), brightness: 4 });
    expect(took()).toEqual([['E/0003']]);
    await display.show({ ...live('3', '97%'), brightness: 3 });
    expect(took()).toEqual([]);
  });

  it('fa labels become SMALL DOTS pictures called from the TEXT, value left of the label (RTL); values stay Western-digit STRINGs', async () => {
    // A stub renderer: one amber column per character, 16 rows (Unifont's height).
    const render: LabelRenderer = (text, { colour }) => {
      const b = createBitmap(text.length, 16);
      b.data.fill(colour);
      return b;
    };
    const { display, took, sim } = rig(alphaBoard({ rows: 16, columns: 160 }, { lang: 'fa' }), render);
    await display.open();
    const v = view([item('callsWaiting', '3', 'ok', { label: 'در انتظار', value: '۳' })], { lang: 'fa', dir: 'rtl' });
    await display.show(v);
    expect(took()).toEqual([['E$At,6s,7d,zd'], ['E.SA'], ['I7'], ['AA'], ['G6=\x1c23'], ['A0'], ['E/0000']]);
    expect(sim.simulator.memory.entries.find((e) => e.label === '7')).toMatchObject({ type: 'dots', rows: 16, columns: 9, depth: 'threeColour' });
    expect(sim.simulator.text()).toBe('3 [dots 7]');
    const shown = sim.render();
    expect(shown.width).toBe(160);
    expect(shown.data.filter((p) => p === Colour.amber).length).toBe(9 * 16);
  });

  it('fa labels fall back to the Latin short label on a sign too short for a picture', async () => {
    const render: LabelRenderer = (text) => createBitmap(text.length, 16);
    const { display, sim, records } = rig(alphaBoard({ rows: 7, columns: 80 }, { lang: 'fa' }), render);
    await display.open();
    await display.show(view([item('callsWaiting', '3', 'ok', { label: 'در انتظار' })], { lang: 'fa', dir: 'rtl' }));
    expect(sim.simulator.text()).toBe('WAIT 3');
    expect(records.find((r) => r.msg === 'laying out sign')?.['fallbacks']).toEqual(['callsWaiting']);
  });
});

describe('AlphaDisplay when the port is lost', () => {
  it('reports a lost port in health, retries with back-off on the clock, and re-initialises the whole sign on reconnect', async () => {
    const { display, took, sim, clock } = rig();
    await display.open();
    await display.show(live('3', '97%'));
    took();
    sim.port.unplug();
    await display.show(live('4', '97%'));
    expect(display.health()).toMatchObject({ ok: false, detail: expect.stringMatching(/^port lost: EIO.*retrying in 1 s$/) });
    expect(took()).toEqual([]);
    // Still absent at the first retry: the next wait doubles.
    clock.advance(1_000);
    await display.show(live('5', '97%'));
    expect(display.health().detail).toMatch(/absent.*retrying in 2 s/);
    expect(clock.pendingTimers('alpha.reopen')).toHaveLength(1);
    sim.port.replug();
    clock.advance(2_000);
    await display.show(live('5', '97%'));
    expect(display.health()).toMatchObject({ ok: true, detail: 're-initialised after reconnect' });
    expect(took()).toEqual([['E$At,6s,7s'], ['E.SA'], ['AA'], ['G6=\x1c25', 'G7=\x1c297%'], ['A0'], ['E/0000']]);
    expect(sim.simulator.text()).toBe('Waiting 5\nSL 97%');
    expect(clock.pendingCount).toBe(0);
  });

  it('a port missing at open is not an error: health says so and it is retried', async () => {
    const { display, sim, clock } = rig();
    sim.port.unplug();
    await display.open();
    expect(display.health().ok).toBe(false);
    await display.show(live('3', '97%'));
    expect(sim.bytes()).toBe(0);
    sim.port.replug();
    clock.advance(1_000);
    await display.show(live('3', '97%'));
    expect(display.health().ok).toBe(true);
    expect(sim.simulator.text()).toBe('Waiting 3\nSL 97%');
    await display.close();
    expect(display.health()).toMatchObject({ ok: false, detail: 'closed' });
  });
});

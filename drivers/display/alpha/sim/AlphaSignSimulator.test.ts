import { describe, expect, it } from 'vitest';
import { Colour, createBitmap } from '../../../../wallboard/bitmap/Bitmap.ts';
import { callDots, callString, colour } from '../commands/controls.ts';
import { writeSmallDots } from '../commands/dots.ts';
import { memoryConfig, runSequence } from '../commands/special.ts';
import { writeString } from '../commands/string.ts';
import { clearPriorityText, writeText } from '../commands/text.ts';
import { ascii, concat } from '../framing/bytes.ts';
import { ColourCode, Mode } from '../framing/codes.ts';
import { encodePacket } from '../framing/packet.ts';
import { AlphaSignSimulator, KEPT_PACKETS } from './AlphaSignSimulator.ts';

const to = (commands: Uint8Array[], address = 0, typeCode = 'Z') => encodePacket(commands, { typeCode, address, checksum: true });

function booted(sim: AlphaSignSimulator): void {
  sim.feed(to([memoryConfig([{ type: 'text', label: 'A', size: 64 }, { type: 'string', label: '6', size: 8 }, { type: 'dots', label: 'P', rows: 7, columns: 3, depth: 'threeColour' }])]));
  sim.feed(to([runSequence('S', false, ['A'])]));
  sim.feed(to([writeText('A', concat(colour(ColourCode.amber), ascii('Q '), callString('6'), ascii(' '), callDots('P')), { mode: Mode.hold })]));
}

describe('AlphaSignSimulator', () => {
  it('substitutes the STRING into the running TEXT with its colour, and draws text and picture on the LEDs', () => {
    const sim = new AlphaSignSimulator({ rows: 7, columns: 40 });
    booted(sim);
    const pic = createBitmap(3, 7);
    pic.data.fill(Colour.green);
    sim.feed(to([writeString('6', concat(colour(ColourCode.red), ascii('1'))), writeSmallDots('P', pic)]));
    expect(sim.text()).toBe('Q 1 [dots P]');
    expect(sim.segments()).toEqual([
      { kind: 'text', text: 'Q ', colour: Colour.amber, flash: false },
      // A colour set inside a STRING carries on after it, as in the TEXT itself: the driver colours each label.
      { kind: 'text', text: '1 ', colour: Colour.red, flash: false },
      { kind: 'dots', label: 'P' },
    ]);
    const shown = sim.render();
    expect([shown.width, shown.height]).toEqual([40, 7]);
    // The picture's 21 green pixels, the digit 1 in red (5×7 font: 10 lit pixels), Q in amber.
    expect(shown.data.filter((p) => p === Colour.green).length).toBe(21);
    expect(shown.data.filter((p) => p === Colour.red).length).toBe(10);
    expect(shown.data.filter((p) => p === Colour.amber).length).toBeGreaterThan(10);
  });

  it('shows the priority TEXT over the page until an empty A0, and E$ keeps it while erasing the rest', () => {
    const sim = new AlphaSignSimulator({ rows: 7, columns: 80 });
    booted(sim);
    sim.feed(to([writeText('0', 'ALERT', { mode: Mode.flash })]));
    expect(sim.shownLabel()).toBe('0');
    expect(sim.segments()).toEqual([{ kind: 'text', text: 'ALERT', colour: 1, flash: true }]);
    expect(sim.render({ flashOff: true }).data.every((p) => p === 0)).toBe(true);
    sim.feed(to([memoryConfig([{ type: 'text', label: 'A', size: 8 }])]));
    expect(sim.memory.strings.size).toBe(0);
    expect(sim.shownLabel()).toBe('0');
    sim.feed(to([clearPriorityText()]));
    expect(sim.shownLabel()).toBeNull();
  });

  it('ignores writes to files the memory map lacks or holds as another type, cuts data beyond a file size', () => {
    const sim = new AlphaSignSimulator({ rows: 7, columns: 80 });
    booted(sim);
    sim.feed(to([writeString('9', '1'), writeString('A', '1'), writeString('6', '123456789')]));
    expect(sim.memory.faults).toEqual([
      { fault: 'notConfigured', label: '9' },
      { fault: 'wrongType', label: 'A' },
      { fault: 'overflow', label: '6' },
    ]);
    expect(sim.memory.strings.get('6')).toEqual(ascii('12345678'));
  });

  it('drops commands with a bad checksum, and packets for another sign address or type', () => {
    const sim = new AlphaSignSimulator({ rows: 7, columns: 80, address: 3, typeCode: '^' });
    booted(sim);
    const bad = to([writeString('6', '7')]);
    bad[bad.length - 2] = bad[bad.length - 2]! ^ 1; // corrupt the last checksum digit
    sim.feed(bad);
    expect(sim.badChecksums).toBe(1);
    sim.feed(to([writeString('6', '8')], 4));
    expect(sim.memory.strings.get('6')).toBeUndefined();
    sim.feed(to([writeString('6', '9')], 3, '^'));
    expect(sim.text()).toBe('Q 9 [dots P]');
    expect(sim.takePackets().map((p) => p.ignored)).toEqual([false, false, false, false, true, false]);
  });

  it('keeps the latest packets nobody took, so a sign simulated for days holds a bounded memory; the sign still follows every one', () => {
    const sim = new AlphaSignSimulator({ rows: 7, columns: 40 });
    booted(sim);
    for (let i = 0; i < KEPT_PACKETS + 2; i++) sim.feed(to([writeString('6', String(i % 10))]));
    sim.feed(ascii('noise'));
    expect(sim.text()).toBe(`Q ${(KEPT_PACKETS + 1) % 10} [dots P]`);
    const taken = sim.takePackets();
    expect(taken).toHaveLength(KEPT_PACKETS);
    expect(sim.forgotten).toBe(5); // the three boot packets and the first two STRINGs
    expect(taken.at(-1)!.commands).toMatchObject([{ kind: 'writeString', label: '6' }]);
    expect(sim.takePackets()).toEqual([]);
  });
});

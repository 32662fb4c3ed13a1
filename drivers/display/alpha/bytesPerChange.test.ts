import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { silentLogger } from '../../../gateway/core/Logger.ts';
import { alphaBytesPerChange, minimumStringPacket } from './bytesPerChange.ts';
import { alphaBoard, item, view } from './testing/boards.ts';

const v = (w: string, sl: string, level: 'ok' | 'crit' = 'ok') => view([item('callsWaiting', w, level), item('serviceLevelToday', sl)]);

describe('bytes on the wire per change', () => {
  it('a KPI change costs exactly the minimum STRING packet; an unchanged view costs nothing', async () => {
    const board = alphaBoard();
    const costs = await alphaBytesPerChange(board, [v('3', '97%'), v('4', '97%'), v('4', '97%'), v('5', '90%', 'crit')], { clock: new FakeClock(), logger: silentLogger });
    // One STRING: 5 NUL, SOH, Z, 00, STX, G 6 0x1C 2 4, ETX, 4 checksum digits, EOT = 21 bytes.
    expect(costs[0]).toEqual({ bytes: 21, minimum: 21, packets: 1, relayout: false });
    expect(costs[1]).toEqual({ bytes: 0, minimum: 0, packets: 0, relayout: false });
    expect(costs[2]).toMatchObject({ packets: 1, relayout: false });
    expect(costs[2]!.bytes).toBe(costs[2]!.minimum);
  });

  it('the minimum counts a colour change of an unchanged number as a change', () => {
    const board = alphaBoard();
    expect(minimumStringPacket(v('4', '97%'), v('4', '97%', 'crit'), board)).toBe(21);
    expect(minimumStringPacket(v('4', '97%'), v('4', '97%'), board)).toBe(0);
  });
});

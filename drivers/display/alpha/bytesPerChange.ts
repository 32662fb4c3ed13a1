import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { BoardConfig } from '../../../wallboard/config/BoardConfig.ts';
import type { BoardView } from '../../../wallboard/model/BoardView.ts';
import { writeString } from './commands/string.ts';
import { toHex } from './framing/bytes.ts';
import { encodePacket } from './framing/packet.ts';
import { alphaConnection } from './openAlphaDisplay.ts';
import { valueBytes } from './sign/valueBytes.ts';
import { simulateAlphaDisplay } from './simulateAlphaDisplay.ts';

/** Wire cost of one view change on an Alpha sign. */
export interface AlphaChangeCost {
  /** Bytes the driver wrote for the change. */
  bytes: number;
  /**
   * The least any driver could send: one packet nesting a STRING write for
   * each figure whose shown value or colour changed (checksums included), 0
   * when nothing changed. Page turns and messages are not in it.
   */
  minimum: number;
  packets: number;
  relayout: boolean;
}

/** Bytes of the smallest packet carrying the figures that differ between two views. */
export function minimumStringPacket(before: BoardView, after: BoardView, board: BoardConfig): number {
  const c = alphaConnection(board);
  const prev = new Map(before.items.map((i) => [i.id, toHex(valueBytes(i, before.state, c.colour))]));
  // The label byte's value does not change the length: '6' stands for each item's label.
  const changed = after.items.map((i) => valueBytes(i, after.state, c.colour)).filter((d, n) => prev.get(after.items[n]!.id) !== toHex(d));
  if (changed.length === 0) return 0;
  return encodePacket(
    changed.map((d) => writeString('6', d)),
    { typeCode: c.typeCode, address: c.address, checksum: true },
  ).length;
}

/**
 * Bytes on the wire per change for a sequence of views on a simulated sign
 * (the benchmark's figure): `views[0]` lays the sign out and is not counted;
 * each later view gives one entry, the driver's bytes against the minimum.
 */
export async function alphaBytesPerChange(board: BoardConfig, views: readonly BoardView[], deps: { clock: Clock; logger: Logger }): Promise<AlphaChangeCost[]> {
  const sim = simulateAlphaDisplay(board, { ...deps, render: null });
  await sim.display.open();
  const out: AlphaChangeCost[] = [];
  for (let i = 0; i < views.length; i++) {
    await sim.display.show(views[i]!);
    if (i === 0) continue;
    const w = sim.display.lastWrite();
    out.push({ bytes: w.bytes, minimum: minimumStringPacket(views[i - 1]!, views[i]!, board), packets: w.packets, relayout: w.relayout });
  }
  await sim.display.close();
  return out;
}

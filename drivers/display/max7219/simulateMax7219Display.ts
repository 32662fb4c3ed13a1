import type { Bitmap } from '../../../wallboard/bitmap/Bitmap.ts';
import type { BoardConfig } from '../../../wallboard/config/BoardConfig.ts';
import { Max7219Display } from './Max7219Display.ts';
import { max7219Connection, type Max7219Deps } from './openMax7219Display.ts';
import { max7219Terminal, renderMax7219 } from './sim/renderMax7219.ts';
import { SimulatedMax7219Spi } from './sim/SimulatedMax7219Spi.ts';

export interface SimulatedMax7219 {
  display: Max7219Display;
  /** What the chain shows now. */
  render(): Bitmap;
  /** Terminal text of what the chain shows, with a status line. */
  terminal(): string;
  /** Every completed chip-select window so far, in order. */
  transactions(): readonly Uint8Array[];
  /** The simulated device: inject faults, read each chained device's registers. */
  spi: SimulatedMax7219Spi;
}

/** A MAX7219 board on a simulated chain, for tests, the demo and previews. */
export function simulateMax7219Display(board: BoardConfig, deps: Omit<Max7219Deps, 'openDevice'>): SimulatedMax7219 {
  const connection = max7219Connection(board);
  const spi = new SimulatedMax7219Spi(Math.max(1, connection.chain), `spidev${connection.spiBus}.${connection.spiDevice}`);
  const display = new Max7219Display({
    boardId: board.id,
    connection,
    clock: deps.clock,
    logger: deps.logger,
    openDevice: spi.opener(),
    ...(deps.renderLine ? { renderLine: deps.renderLine } : {}),
  });
  return {
    display,
    render: () => renderMax7219(connection.variant, spi.chain),
    terminal: () => max7219Terminal(connection.variant, spi.chain),
    transactions: () => spi.transfers,
    spi,
  };
}

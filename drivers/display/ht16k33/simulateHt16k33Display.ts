import type { Bitmap } from '../../../wallboard/bitmap/Bitmap.ts';
import type { BoardConfig } from '../../../wallboard/config/BoardConfig.ts';
import type { I2cTransaction } from '../bus/FakeI2cBus.ts';
import { Ht16k33Display } from './Ht16k33Display.ts';
import { ht16k33Connection, type Ht16k33Deps } from './openHt16k33Display.ts';
import { ht16k33Terminal, renderHt16k33 } from './sim/renderHt16k33.ts';
import { SimulatedHt16k33Bus } from './sim/SimulatedHt16k33Bus.ts';

export interface SimulatedHt16k33 {
  display: Ht16k33Display;
  /** What the modules show now (blink phase from the injected clock). */
  render(): Bitmap;
  /** Terminal text of the modules' RAM and status. */
  terminal(): string;
  /** Every I2C transaction so far, with address, bytes and whether it was acknowledged. */
  transactions(): readonly I2cTransaction[];
  /** The simulated bus: unplug/plug modules, inject faults, read chip state. */
  bus: SimulatedHt16k33Bus;
}

/** An HT16K33 board on a simulated bus, for tests, the demo and previews. */
export function simulateHt16k33Display(board: BoardConfig, deps: Omit<Ht16k33Deps, 'openBus'>): SimulatedHt16k33 {
  const connection = ht16k33Connection(board);
  const bus = new SimulatedHt16k33Bus(connection.addresses, `i2c-${connection.bus}`);
  const display = new Ht16k33Display({
    boardId: board.id,
    connection,
    clock: deps.clock,
    logger: deps.logger,
    openBus: bus.opener(),
    ...(deps.renderLine ? { renderLine: deps.renderLine } : {}),
  });
  const chips = (): ReturnType<SimulatedHt16k33Bus['chipsInOrder']> => bus.chipsInOrder(connection.addresses);
  return {
    display,
    render: () => renderHt16k33(connection.variant, chips(), deps.clock.now()),
    terminal: () => ht16k33Terminal(connection.variant, chips()),
    transactions: () => bus.transactions,
    bus,
  };
}

import type { Clock } from '../../../gateway/core/Clock.ts';
import { ConfigError } from '../../../gateway/core/errors.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { BoardConfig, Ht16k33Connection } from '../../../wallboard/config/BoardConfig.ts';
import type { Display } from '../../../wallboard/display/Display.ts';
import type { I2cBusOpener } from '../bus/I2cBus.ts';
import { openI2cBus } from '../bus/openI2cBus.ts';
import type { LineRenderer } from '../ledkit/LineRenderer.ts';
import { Ht16k33Display } from './Ht16k33Display.ts';

/** What the composition root passes to an HT16K33 board. */
export interface Ht16k33Deps {
  clock: Clock;
  logger: Logger;
  /** Matrix text renderer; default: the wallboard renderer with the 5×7 font. */
  renderLine?: LineRenderer;
  /** Test seam: how the bus opens (default: the native i2c-bus package). */
  openBus?: I2cBusOpener;
}

/** The board's HT16K33 connection; a ConfigError naming the key when the board is of another kind. */
export function ht16k33Connection(board: BoardConfig): Ht16k33Connection {
  if (board.connection.kind !== 'ht16k33') {
    throw new ConfigError('wallboard', [{ path: `boards.${board.id}.connection.kind`, expected: `'ht16k33' (got '${board.connection.kind}')` }]);
  }
  return board.connection;
}

/** A real HT16K33 board on /dev/i2c-<bus>. `open()` never throws: a missing package or bus shows in health and is retried. */
export function openHt16k33Display(board: BoardConfig, deps: Ht16k33Deps): Display {
  return new Ht16k33Display({
    boardId: board.id,
    connection: ht16k33Connection(board),
    clock: deps.clock,
    logger: deps.logger,
    openBus: deps.openBus ?? ((n) => openI2cBus(n)),
    ...(deps.renderLine ? { renderLine: deps.renderLine } : {}),
  });
}

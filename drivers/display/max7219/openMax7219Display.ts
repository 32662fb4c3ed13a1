import type { Clock } from '../../../gateway/core/Clock.ts';
import { ConfigError } from '../../../gateway/core/errors.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { BoardConfig, Max7219Connection } from '../../../wallboard/config/BoardConfig.ts';
import type { Display } from '../../../wallboard/display/Display.ts';
import { openSpiDevice } from '../bus/openSpiDevice.ts';
import type { SpiDeviceOpener } from '../bus/SpiDevice.ts';
import type { LineRenderer } from '../ledkit/LineRenderer.ts';
import { Max7219Display } from './Max7219Display.ts';

/** What the composition root passes to a MAX7219 board. */
export interface Max7219Deps {
  clock: Clock;
  logger: Logger;
  /** Matrix text renderer; default: the wallboard renderer with the 5×7 font. */
  renderLine?: LineRenderer;
  /** Test seam: how the SPI device opens (default: the native spi-device package). */
  openDevice?: SpiDeviceOpener;
}

/** The board's MAX7219 connection; a ConfigError naming the key when the board is of another kind. */
export function max7219Connection(board: BoardConfig): Max7219Connection {
  if (board.connection.kind !== 'max7219') {
    throw new ConfigError('wallboard', [{ path: `boards.${board.id}.connection.kind`, expected: `'max7219' (got '${board.connection.kind}')` }]);
  }
  return board.connection;
}

/** A real MAX7219 chain on /dev/spidev<bus>.<device>. `open()` never throws: a missing package or device shows in health and is retried. */
export function openMax7219Display(board: BoardConfig, deps: Max7219Deps): Display {
  return new Max7219Display({
    boardId: board.id,
    connection: max7219Connection(board),
    clock: deps.clock,
    logger: deps.logger,
    openDevice: deps.openDevice ?? ((o) => openSpiDevice(o)),
    ...(deps.renderLine ? { renderLine: deps.renderLine } : {}),
  });
}

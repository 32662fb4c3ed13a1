import type { Clock } from '../../../gateway/core/Clock.ts';
import { ConfigError } from '../../../gateway/core/errors.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { AlphaConnection, BoardConfig } from '../../../wallboard/config/BoardConfig.ts';
import { AlphaDisplay, type AlphaDisplayOptions } from './AlphaDisplay.ts';
import type { LabelRenderer } from './sign/layout.ts';
import { signSpecOf } from './sign/SignSpec.ts';
import { unifontLabelRenderer } from './sign/unifontRenderer.ts';
import { serialOptionsFor } from './transport/serialOptions.ts';
import { SerialSignPort, type SerialPortFactory } from './transport/SerialSignPort.ts';

/** What the composition root passes to an Alpha board. */
export interface AlphaDeps {
  clock: Clock;
  logger: Logger;
  /** fa/zh label pictures; default the wallboard text renderer with GNU Unifont. */
  render?: LabelRenderer | null;
  /** Test seam: how the serial port is made (default `new SerialPort(opts)`). */
  serialPort?: SerialPortFactory;
  options?: Partial<AlphaDisplayOptions>;
}

/** The board's Alpha connection; a ConfigError naming the key when the board is of another kind. */
export function alphaConnection(board: BoardConfig): AlphaConnection {
  if (board.connection.kind !== 'alpha') {
    throw new ConfigError('wallboard', [{ path: `boards.${board.id}.connection.kind`, expected: `'alpha' (got '${board.connection.kind}')` }]);
  }
  return board.connection;
}

/**
 * A real Alpha sign on its serial port (9600 7E1 unless configured). `open()`
 * never throws for a missing port: health shows it and it is retried.
 */
export function openAlphaDisplay(board: BoardConfig, deps: AlphaDeps): AlphaDisplay {
  const c = alphaConnection(board);
  return new AlphaDisplay(board, {
    clock: deps.clock,
    logger: deps.logger,
    port: new SerialSignPort(serialOptionsFor(c), deps.serialPort),
    sign: signSpecOf(c),
    render: deps.render === undefined ? unifontLabelRenderer() : deps.render,
    ...(deps.options ? { options: deps.options } : {}),
  });
}

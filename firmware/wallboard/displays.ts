/**
 * Builds the display behind each configured board: the real driver on its
 * serial port, I2C bus or SPI device, or (for the demo and previews) the
 * driver on its simulator, which decodes exactly what the hardware would
 * receive. Web boards are pages of the web board server.
 *
 * Each kind's driver is imported when a board of that kind is built: a
 * daemon drives one or two kinds, and every driver module it never uses
 * would stay in its memory for good.
 */
import type { Clock } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { Bitmap } from '../../wallboard/bitmap/Bitmap.ts';
import type { AlphaConnection, BoardConfig, Ht16k33Connection, Max7219Connection } from '../../wallboard/config/BoardConfig.ts';
import type { Display } from '../../wallboard/display/Display.ts';

export interface DisplayDeps {
  clock: Clock;
  logger: Logger;
}

/** A display on its simulator, with the picture the hardware would show. */
export interface SimulatedDisplay {
  display: Display;
  render(): Bitmap;
}

type Of<C> = BoardConfig & { connection: C };

/** The driver for a hardware board (not web): real, or on its simulator. */
export async function hardwareDisplay(board: BoardConfig, deps: DisplayDeps, simulated: boolean): Promise<SimulatedDisplay | Display> {
  const c = board.connection;
  switch (c.kind) {
    case 'alpha': {
      const d = await import('../../drivers/display/alpha/index.ts');
      return simulated ? d.simulateAlphaDisplay(board as Of<AlphaConnection>, deps) : d.openAlphaDisplay(board as Of<AlphaConnection>, deps);
    }
    case 'ht16k33': {
      const d = await import('../../drivers/display/ht16k33/index.ts');
      return simulated ? d.simulateHt16k33Display(board as Of<Ht16k33Connection>, deps) : d.openHt16k33Display(board as Of<Ht16k33Connection>, deps);
    }
    case 'max7219': {
      const d = await import('../../drivers/display/max7219/index.ts');
      return simulated ? d.simulateMax7219Display(board as Of<Max7219Connection>, deps) : d.openMax7219Display(board as Of<Max7219Connection>, deps);
    }
    case 'web':
      throw new Error(`board ${board.id} is a web board: it is a page of the web board server`);
  }
}

export function isSimulated(d: SimulatedDisplay | Display): d is SimulatedDisplay {
  return 'render' in d && 'display' in d;
}

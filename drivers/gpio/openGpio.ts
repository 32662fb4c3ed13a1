import type { Clock } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { GpioBackend, GpioLines } from './GpioLines.ts';
import { LibgpiodLines } from './libgpiod/LibgpiodLines.ts';

/** The configured GPIO backend; the native ones are loaded only when chosen. */
export async function openGpio(backend: GpioBackend, deps: { clock: Clock; logger: Logger; settleMs?: number }): Promise<GpioLines> {
  if (backend === 'onoff') return (await import('./onoff/OnoffLines.ts')).OnoffLines.open();
  if (backend === 'rpio') return (await import('./rpio/RpioLines.ts')).RpioLines.open();
  return LibgpiodLines.open({ clock: deps.clock, logger: deps.logger, ...(deps.settleMs !== undefined ? { settleMs: deps.settleMs } : {}) });
}

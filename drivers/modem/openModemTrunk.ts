import type { ModemTrunkConfig } from '../../gateway/config/types.ts';
import type { Clock } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import { GsmModem } from './GsmModem.ts';
import type { ModemTimings } from './modem/timings.ts';
import type { AtTimeouts } from './session/timeouts.ts';
import { CommandHookLines, NoModemLines } from './transport/ModemLines.ts';
import { SerialTransport } from '../serial/SerialTransport.ts';
import { ModemTrunk } from './trunk/ModemTrunk.ts';

/** Rates a modem is commonly left at (SIM800 factory 115200 or autobaud, others 9600 after AT+IPR), most likely first. */
const HUNT_RATES: readonly number[] = [115200, 9600, 57600, 38400, 19200, 230400, 460800, 921600];

export interface OpenedModemTrunk {
  trunk: ModemTrunk;
  modem: GsmModem;
  close(): Promise<void>;
}

/**
 * A configured modem as a trunk: the serial port, the modem driver and the
 * TrunkPort adapter. The modem initialises in the background, so a missing
 * or dead modem never stops the daemon: its trunk reports down until it answers.
 */
export async function openModemTrunk(
  cfg: ModemTrunkConfig,
  deps: { clock: Clock; logger: Logger; timings?: Partial<ModemTimings>; atTimeouts?: Partial<AtTimeouts> },
): Promise<OpenedModemTrunk> {
  const logger = deps.logger.child({ trunk: cfg.id });
  const transport = new SerialTransport({ path: cfg.port, baudRate: cfg.baudRate, rtscts: cfg.rtscts });
  const audioPort = cfg.audio.port;
  const modem = new GsmModem({
    id: cfg.id,
    transport,
    clock: deps.clock,
    logger,
    family: cfg.family,
    dtmfDetect: cfg.dtmfDetect,
    smsMode: cfg.sms.mode,
    audio: {
      kind: cfg.audio.kind,
      promptDir: cfg.audio.promptDir,
      ...(audioPort ? { openPcmPort: () => new SerialTransport({ path: audioPort, baudRate: cfg.baudRate }) } : {}),
    },
    lines: cfg.powerCycle ? new CommandHookLines({ argv: cfg.powerCycle, logger }) : new NoModemLines(),
    baudRates: cfg.autoBaud ? [cfg.baudRate, ...HUNT_RATES.filter((r) => r !== cfg.baudRate)] : [cfg.baudRate],
    ...(deps.timings ? { timings: deps.timings } : {}),
    ...(deps.atTimeouts ? { atTimeouts: deps.atTimeouts } : {}),
  });
  const trunk = new ModemTrunk({ id: cfg.id, line: modem, clock: deps.clock, logger, connect: cfg.connect });
  await modem.start();
  return { trunk, modem, close: () => modem.close() };
}

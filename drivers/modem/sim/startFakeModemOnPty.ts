import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { TrunkPort } from '../../../gateway/trunk/TrunkPort.ts';
import { SerialTransport } from '../../serial/SerialTransport.ts';
import { FakeModem, type FakeModemOptions } from './FakeModem.ts';
import { PtyPair } from '../../serial/PtyPair.ts';
import type { ModemFamily } from './state.ts';

export interface FakeModemOnPty {
  /** The tty the host (driver, gammu, minicom) opens. */
  hostPath: string;
  fake: FakeModem;
  /** Stop the fake, close its end and kill socat (the host then sees EIO on its next write). */
  close(): Promise<void>;
}

/**
 * A fake modem on a real pseudo-terminal: opens a socat PtyPair, opens the
 * device end with the `serialport` binding and starts the fake, which prints
 * its boot banner. Used by the PTY tests, gammu fidelity test and the demo.
 */
export async function startFakeModemOnPty(o: {
  family: ModemFamily;
  clock: Clock;
  logger?: Logger;
  line?: TrunkPort;
  /** Directory for the PTY links (default: a fresh temp dir). */
  dir?: string;
  /** Link base name: `<dir>/<name>.host` and `<name>.dev` (default 'modem'). */
  name?: string;
  options?: FakeModemOptions;
}): Promise<FakeModemOnPty> {
  const pair = await PtyPair.open({ ...(o.dir ? { dir: o.dir } : {}), ...(o.name ? { name: o.name } : {}) });
  const transport = new SerialTransport({ path: pair.devicePath });
  try {
    await transport.open();
  } catch (e) {
    await pair.close();
    throw e;
  }
  const fake = new FakeModem({
    family: o.family,
    transport,
    clock: o.clock,
    ...(o.logger ? { logger: o.logger } : {}),
    ...(o.line ? { line: o.line } : {}),
    ...(o.options ? { options: o.options } : {}),
  });
  fake.start();
  let closed = false;
  return {
    hostPath: pair.hostPath,
    fake,
    async close() {
      if (closed) return;
      closed = true;
      fake.close();
      await transport.close();
      await pair.close();
    },
  };
}

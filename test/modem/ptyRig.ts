import { SystemClock } from '../../gateway/core/Clock.ts';
import type { TrunkPort } from '../../gateway/trunk/TrunkPort.ts';
import type { FakeModem, FakeModemOptions } from '../../drivers/modem/sim/FakeModem.ts';
import type { ModemFamily } from '../../drivers/modem/sim/state.ts';
import { startFakeModemOnPty } from '../../drivers/modem/sim/startFakeModemOnPty.ts';
import { RawHost } from './RawHost.ts';

/** A fake modem on a PTY with a raw host attached and the boot banner drained. */
export interface PtyRig {
  fake: FakeModem;
  host: RawHost;
  clock: SystemClock;
  hostPath: string;
  close(): Promise<void>;
}

/** Start a fake (SystemClock: PTY tests run in real time) and open the raw host on it. */
export async function ptyRig(family: ModemFamily, o: { line?: TrunkPort; clock?: SystemClock; options?: FakeModemOptions } = {}): Promise<PtyRig> {
  const clock = o.clock ?? new SystemClock();
  const m = await startFakeModemOnPty({ family, clock, ...(o.line ? { line: o.line } : {}), options: { ringIntervalMs: 200, scriptedDialMs: 50, scriptedPlayMs: 50, alertingAfterMs: 20, ...o.options } });
  const host = await RawHost.open(m.hostPath);
  // Bytes written before the host opened (the banner) come before this OK, if at all.
  await host.exchange('AT');
  host.skip();
  return {
    fake: m.fake,
    host,
    clock,
    hostPath: m.hostPath,
    async close() {
      await host.close();
      await m.close();
      if (!o.clock) clock.dispose();
    },
  };
}

import { startFakeModemOnPty, type FakeModemOnPty } from '../../drivers/modem/sim/startFakeModemOnPty.ts';
import type { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import type { ModemFamily, ModemTrunkConfig } from '../../gateway/config/types.ts';
import type { Clock } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';

/** The demo's modem bank: one of each family the driver knows. */
export const DEMO_MODEMS: ReadonlyArray<{ id: string; family: Exclude<ModemFamily, 'generic'> }> = [
  { id: 'gsm-sim800', family: 'sim800' },
  { id: 'gsm-sim7600', family: 'sim7600' },
  { id: 'gsm-ec25', family: 'quectel' },
  { id: 'gsm-e1550', family: 'huawei' },
];

export interface DemoModems {
  /** Trunk configs pointing at the host ends of the pseudo-terminals, family left to auto-detection. */
  trunks: ModemTrunkConfig[];
  fakes: FakeModemOnPty[];
  close(): Promise<void>;
}

/**
 * Fake modems on pseudo-terminals for `ccgate demo --modem-pty`: each fake's
 * network side is a line of the simulated network (two channels: the caller
 * and, while reaching an agent, the agent leg), its serial side a PTY the
 * real driver opens like a USB modem. The Huawei E1550 has no module-side
 * playback and the demo gives it no PCM tty, so its prompts are silent.
 */
export async function startDemoModems(network: SimNetwork, clock: Clock, logger: Logger): Promise<DemoModems> {
  const fakes: FakeModemOnPty[] = [];
  const trunks: ModemTrunkConfig[] = [];
  try {
    for (const m of DEMO_MODEMS) {
      const line = network.addTrunk(`${m.id}-network`, 2);
      const fake = await startFakeModemOnPty({ family: m.family, clock, logger: logger.child({ fake: m.id }), line, name: m.id });
      fakes.push(fake);
      trunks.push({
        id: m.id,
        type: 'modem',
        channels: 1,
        port: fake.hostPath,
        baudRate: 115200,
        autoBaud: false,
        rtscts: false,
        family: 'auto',
        connect: 'conference',
        audio: { kind: m.family === 'huawei' ? 'silent' : 'module', port: null, promptDir: './prompts' },
        sms: { mode: 'pdu' },
        dtmfDetect: true,
        powerCycle: null,
      });
    }
  } catch (e) {
    for (const f of fakes) await f.close();
    throw e;
  }
  return {
    trunks,
    fakes,
    close: async () => {
      for (const f of fakes) await f.close();
    },
  };
}

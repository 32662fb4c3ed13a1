import type { GatewayConfig } from '../../gateway/config/types.ts';
import type { Clock } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { Random } from '../../gateway/core/Random.ts';
import type { TrunkPort } from '../../gateway/trunk/TrunkPort.ts';
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import type { OpenedModemTrunk } from '../../drivers/modem/openModemTrunk.ts';
import type { OpenedE1Span } from '../../drivers/e1/openE1Span.ts';

export interface BuiltTrunks {
  trunks: TrunkPort[];
  /** The simulated telephone network behind 'sim' trunks (and the demo's fake modems). */
  network: SimNetwork;
  /** The modem drivers, for status and shutdown. */
  modems: OpenedModemTrunk[];
  /** Close every modem port (after the gateway stopped). */
  close(): Promise<void>;
}

/**
 * Build the configured trunks: simulated ones on one SimNetwork (with the
 * agents' phones), GSM modems through their serial ports. A modem that is
 * absent or dead does not stop the daemon: its trunk reports down and the
 * driver keeps trying (recovery ladder). An E1 span likewise: down until its
 * D-channel is up, LAPD and the serial link retrying.
 */
export async function buildTrunks(config: GatewayConfig, clock: Clock, random: Random, logger: Logger, network?: SimNetwork): Promise<BuiltTrunks> {
  const net = network ?? new SimNetwork({ clock, random, logger });
  const modems: OpenedModemTrunk[] = [];
  const spans: OpenedE1Span[] = [];
  const trunks: TrunkPort[] = [];
  for (const t of config.trunks) {
    if (t.type === 'sim') {
      trunks.push(net.addTrunk(t.id, t.channels, { bridge: t.bridge }));
      continue;
    }
    if (t.type === 'e1') {
      // Loaded only on a site with a span, like the modem driver.
      const { openE1Span } = await import('../../drivers/e1/openE1Span.ts');
      const span = await openE1Span(t, { clock, logger });
      spans.push(span);
      trunks.push(span.trunk);
      continue;
    }
    // Loaded only on a site with modems: the AT engine and serialport cost ~70 ms of start-up and memory.
    const { openModemTrunk } = await import('../../drivers/modem/openModemTrunk.ts');
    const m = await openModemTrunk(t, { clock, logger });
    modems.push(m);
    trunks.push(m.trunk);
  }
  for (const a of config.agents) {
    if (net.agentPhone(a.endpoint)) continue;
    net.addAgentPhone(a.endpoint, { answerAfterMs: (r) => 2_000 + r.next() * 4_000, answer: (r) => (r.next() < 0.04 ? 'noAnswer' : 'answer') });
  }
  return {
    trunks,
    network: net,
    modems,
    close: async () => {
      for (const m of modems) await m.close().catch((e: unknown) => logger.warn({ err: String(e) }, 'closing a modem failed'));
      for (const s of spans) await s.close().catch((e: unknown) => logger.warn({ err: String(e) }, 'closing an E1 span failed'));
    },
  };
}

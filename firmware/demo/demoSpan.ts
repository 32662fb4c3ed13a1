/**
 * `ccgate demo --e1`: the demo site on one simulated E1 span. The span is
 * the real driver (drivers/e1) on a PTY; the far end is a network-side
 * stack (libpri's harness when the tests have built it, else ccgate's own
 * SimPriNetwork); behind that network, the demo's simulated callers and
 * agents (SimNetwork) on a 30-channel line. The MT8870 pool is the simulated
 * decoder bank: a caller's key reaches the core only through a decoder the
 * board routed to its channel, as on the real board.
 */
import type { E1TrunkConfig } from '../../gateway/config/types.ts';
import type { Clock } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { TrunkPort } from '../../gateway/trunk/TrunkPort.ts';
import type { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import { SimDecoderBank } from '../../drivers/dtmf/SimDecoderBank.ts';
import type { DtmfKey } from '../../drivers/dtmf/mt8870Code.ts';
import { openE1Span, type OpenedE1Span } from '../../drivers/e1/openE1Span.ts';
import { SimDs26521 } from '../../drivers/e1/framer/SimDs26521.ts';
import { SimPriNetwork } from '../../drivers/e1/sim/SimPriNetwork.ts';
import type { PriNetworkEnd } from '../../drivers/e1/sim/PriNetworkEnd.ts';
import { PtyPair } from '../../drivers/serial/PtyPair.ts';
import { e1Trunk } from '../config/e1Schema.ts';
import { RealTimersClock } from '../runtime/RealTimersClock.ts';
import { SpanNetworkBridge } from './SpanNetworkBridge.ts';
import { openLibpriEnd } from './libpriEnd.ts';

export interface DemoSpan {
  config: E1TrunkConfig;
  span: OpenedE1Span;
  /** The span as the daemon drives it (observed by the bridge). */
  trunk: TrunkPort;
  network: PriNetworkEnd;
  close(): Promise<void>;
}

export async function startDemoSpan(net: SimNetwork, clock: Clock, logger: Logger): Promise<DemoSpan> {
  const pty = await PtyPair.open({ name: 'e1-span' });
  try {
    const config = e1Trunk.parse({
      id: 'e1-span',
      type: 'e1',
      dchannel: { port: pty.hostPath },
      callingNumber: '2188776655',
      // Four decoders for thirty channels: a call waits its turn for one when all are listening.
      dtmf: { q: ['GPIO5', 'GPIO6', 'GPIO13', 'GPIO19'], decoders: [{ std: 'GPIO26', toe: 'GPIO20' }, { std: 'GPIO21', toe: 'GPIO16' }, { std: 'GPIO12', toe: 'GPIO7' }, { std: 'GPIO25', toe: 'GPIO8' }] },
    });
    // Layer 2 keeps real-time timers on both ends: the demo's clock runs many times faster than the wire.
    const linkClock = new RealTimersClock(clock);
    const end = (await openLibpriEnd(pty.devicePath, logger)) ?? (await SimPriNetwork.open(pty.devicePath, { clock: linkClock, logger }));
    const bank = new SimDecoderBank(config.dtmf!, clock);
    const framer = new SimDs26521();
    const span = await openE1Span(config, { clock, logger, linkClock, dtmfBus: bank, framerAccess: framer.access() });
    bank.onEdge = (line, rising, t) => span.dtmf!.edge(line, rising, t);
    span.board.onDecoderKey = (d, key) => bank.press(d, key as DtmfKey, 70);
    const line = net.addTrunk('e1-network', config.channels);
    const bridge = new SpanNetworkBridge(line, end, span, logger);
    return {
      config,
      span,
      trunk: bridge.trunk,
      network: end,
      close: async () => {
        bridge.close();
        await span.close();
        await end.close();
        await pty.close();
      },
    };
  } catch (e) {
    await pty.close();
    throw e;
  }
}

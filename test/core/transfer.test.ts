import { describe, expect, it } from 'vitest';
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import { parseConfig } from '../../firmware/config/loadConfig.ts';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import type { StoredEvent } from '../../gateway/events.ts';
import { Gateway } from '../../gateway/Gateway.ts';
import { formatQueueLog, QueueLogState } from '../../gateway/queuelog/formatQueueLog.ts';
import { MemoryStore } from '../../gateway/store/MemoryStore.ts';
import type { TrunkPort, TrunkSignal } from '../../gateway/trunk/TrunkPort.ts';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { caller, siteYaml, START } from '../support/world.ts';

/**
 * A line that connects caller and agent by explicit call transfer (a modem
 * with `connect: transfer`, AT+CHLD=4): once the agent answers, both are
 * handed over and the leg is gone from our side.
 */
function transferringTrunk(inner: TrunkPort): TrunkPort {
  let listener: (s: TrunkSignal) => void = () => {};
  const handedOver = new Set<string>();
  const port: TrunkPort = Object.create(inner) as TrunkPort;
  port.setListener = (l) => {
    listener = l;
    inner.setListener((s) => {
      if ('legId' in s && handedOver.has(s.legId)) return;
      listener(s);
      if (s.kind === 'connectResult' && s.outcome === 'answered') {
        handedOver.add(s.legId);
        listener({ kind: 'bridgeEnded', legId: s.legId, by: 'transferred' });
        listener({ kind: 'ended', legId: s.legId, cause: 'remote' });
      }
    });
  };
  return port;
}

describe('explicit call transfer', () => {
  it('records a transfer (queue_log TRANSFER, legacy form) instead of a completed call, with no survey', () => {
    const clock = new FakeClock(START);
    const config = parseConfig(siteYaml({ agents: `  - { id: a1, endpoint: '+989120000001', queues: [flights] }` }), 'test.yaml');
    const net = new SimNetwork({ clock, random: new SeededRandom(5) });
    const trunks = config.trunks.map((t) => transferringTrunk(net.addTrunk(t.id, t.channels)));
    for (const a of config.agents) net.addAgentPhone(a.endpoint);
    const { logger } = capturingLogger('warn');
    const gw = new Gateway({ config, store: new MemoryStore(), trunks, clock, random: new SeededRandom(1), logger });
    const events: StoredEvent[] = [];
    gw.subscribe((e) => events.push(e));
    gw.start();
    gw.agentLogin('a1');
    net.placeCall(caller('+989121230000', { keys: { 'ivr-main': '1' }, talkMs: 60_000 }));
    clock.advance(5 * 60_000);

    const transferred = events.filter((e) => e.type === 'queueTransferred');
    expect(transferred).toMatchObject([{ queue: 'flights', agent: 'a1', endpoint: '+989120000001' }]);
    expect(events.filter((e) => e.type === 'queueCompleted')).toEqual([]);
    expect(events.filter((e) => e.type === 'surveyOffered')).toEqual([]);
    expectConsistentLifecycles(events);

    const state = new QueueLogState();
    const lines = events.flatMap((e) => {
      const out = formatQueueLog(e, state);
      state.observe(e);
      return out;
    });
    const verbs = lines.map((l) => l.split('|')[4]).filter((v) => v !== 'AGENTLOGIN' && v !== 'ADDMEMBER');
    expect(verbs).toEqual(['ENTERQUEUE', 'CONNECT', 'TRANSFER']);
    // extension|context|holdtime|calltime|origposition; calltime unknown after the hand-over.
    const transfer = lines.find((l) => l.includes('|TRANSFER|'))!.split('|');
    expect(transfer.slice(5)).toEqual(['+989120000001', 'ccgate-ect', expect.stringMatching(/^\d+$/), '0', '1']);

    // The agent is free again after wrap-up and the KPIs count the call answered.
    expect(gw.snapshot().agents.find((a) => a.id === 'a1')!.state).toBe('available');
    expect(gw.kpis().queues['flights']!.today.answered).toBe(1);
  });
});

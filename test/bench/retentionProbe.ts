import { gatewayConfigSchema } from '../../firmware/config/schema.ts';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { silentLogger } from '../../gateway/core/Logger.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import { Gateway } from '../../gateway/Gateway.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';

/**
 * Does this build's gateway prune old events by itself? A tiny gateway on an
 * in-memory SqliteStore with eventsKeepDays 1, an agent pausing every hour
 * for four virtual days, no consumer: if the first event is still there, the
 * pruner is not in yet and the soak has nothing to measure.
 */
export async function probeRetention(): Promise<{ pruned: boolean; detail: string }> {
  let config;
  try {
    config = gatewayConfigSchema.parse({ agents: [{ id: 'a1', endpoint: '1001', queues: ['general'] }], retention: { eventsKeepDays: 1, eventsMaxDays: 2 } });
  } catch (e) {
    return { pruned: false, detail: `the schema refused retention {eventsKeepDays: 1, eventsMaxDays: 2}: ${String(e).slice(0, 200)}` };
  }
  const clock = new FakeClock(Date.UTC(2026, 0, 5));
  const store = new SqliteStore(':memory:');
  const gw = new Gateway({ config, store, trunks: [], clock, random: new SeededRandom(1), logger: silentLogger });
  try {
    gw.start();
    gw.agentLogin('a1');
    for (let h = 0; h < 4 * 24; h++) {
      gw.agentPause('a1', 'Break');
      clock.advance(30 * 60_000);
      gw.agentUnpause('a1');
      clock.advance(30 * 60_000);
      await Promise.resolve();
    }
    store.commit();
    const first = store.readEvents(0, 1)[0]?.seq ?? null;
    const last = store.lastEventSeq();
    return { pruned: first !== null && first > 1, detail: `after 4 virtual days: first event seq ${String(first)}, last ${last}` };
  } finally {
    gw.stop();
    store.close();
  }
}

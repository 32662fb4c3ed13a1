/**
 * The unit's side of `syncDrain`, run as its own process with the deployment
 * node flags (DEPLOY_NODE_FLAGS), so its peak RSS is what a unit draining a
 * backlog takes: the store holding the backlog, EventPublisher and MqttLink,
 * and nothing of the bench (broker, consumer, reference loops).
 *
 *   node <flags> syncDrainUnit.js DB URL WINDOW BATCH_EVENTS
 *
 * Prints one JSON line `{"up": true}` when the link is up (the parent starts
 * its clock), then `{"result": {...}}` once the broker acknowledged every
 * event, and exits.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { DurableCursors } from '../../gateway/retention/DurableCursors.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { EventPublisher } from '../../gateway/sync/EventPublisher.ts';
import { seededRandom } from '../../gateway/sync/link/backoff.ts';
import { MqttLink } from '../../gateway/sync/link/MqttLink.ts';
import { unitTopics } from '../../gateway/sync/topics.ts';
import { MB, round, RssSampler } from './rss.ts';

export const DRAIN_LOG_ID = 'benchlog1';

export interface UnitDrainResult {
  events: number;
  /** Link up → every event acknowledged by the broker, seconds. */
  ackedWallSec: number;
  rssBeforeMB: number;
  peakRssMB: number;
  peakHeapUsedMB: number;
  /** The kernel's high-water mark of the process (VmHWM), MB. */
  vmHwmMB: number | null;
}

function vmHwmMB(): number | null {
  const m = /^VmHWM:\s*(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? round(Number(m[1]) / 1024, 1) : null;
}

async function drainUnit(dbPath: string, url: string, window: number, batchEvents: number): Promise<UnitDrainResult> {
  const store = new SqliteStore(dbPath);
  const rssBeforeMB = round(process.memoryUsage().rss / MB, 1);
  const clock = new SystemClock();
  const topics = unitTopics({ tenant: 'bench', site: 'drain', unit: 'u1' });
  const link = new MqttLink({
    brokers: [url],
    protocol: 'auto',
    clientId: 'ccgate-bench-drain-u1',
    will: { topic: topics.state, payload: '{"v":1,"online":false}', qos: 1, retain: true },
    birth: () => ({ topic: topics.state, payload: '{"v":1,"online":true}' }),
    subscriptions: [topics.cmdFilter],
    random: seededRandom(1),
    clock,
  });
  const publisher = new EventPublisher({
    link,
    source: store,
    cursor: new DurableCursors(store).register('cloud'),
    committedSeq: store.lastEventSeq(),
    topic: topics.evt,
    unit: 'bench/drain/u1',
    log: DRAIN_LOG_ID,
    clock,
    runInput: (_what, fn) => {
      store.batch(fn);
      store.commit();
    },
    window,
    batchEvents,
  });
  const events = store.lastEventSeq();
  const rss = new RssSampler(100);
  rss.start();
  let t0 = 0;
  // Registered before the publisher's, so the clock starts as it begins to pump.
  link.once('up', () => {
    t0 = performance.now();
    process.stdout.write(JSON.stringify({ up: true }) + '\n');
  });
  publisher.start();
  link.start();
  while (t0 === 0 || publisher.figures().depth > 0) await new Promise((r) => setTimeout(r, 5));
  const acked = (performance.now() - t0) / 1000;
  rss.stop();
  publisher.stop();
  await link.stop();
  clock.dispose();
  store.close();
  return { events, ackedWallSec: round(acked, 2), rssBeforeMB, peakRssMB: round(rss.peakRss / MB, 1), peakHeapUsedMB: round(rss.peakHeapUsed / MB, 1), vmHwmMB: vmHwmMB() };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [db, url, window, batchEvents] = process.argv.slice(2);
  drainUnit(db!, url!, Number(window), Number(batchEvents)).then(
    (result) => process.stdout.write(JSON.stringify({ result }) + '\n', () => process.exit(0)),
    (e: unknown) => {
      process.stderr.write(`syncDrainUnit: ${String(e)}\n`);
      process.exit(1);
    },
  );
}

/**
 * Child process for the kill -9 test. Mode `busy` runs a busy day on a
 * SQLite file as fast as it can and prints an ACK line for every promise
 * the gateway made (printed from committed events, so before the caller
 * hears it); the parent kills it with SIGKILL at a random moment. Mode
 * `restart` opens the same file, recovers, serves what is left with no new
 * traffic, and prints a JSON summary of the durable state.
 */
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import { demoConfig } from '../../firmware/config/demoConfig.ts';
import { DemoSite } from '../../firmware/demo/DemoSite.ts';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { SinkLogger } from '../../gateway/core/Logger.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import type { StoredEvent } from '../../gateway/events.ts';
import { Gateway } from '../../gateway/Gateway.ts';
import { QueueLogWriter } from '../../gateway/queuelog/QueueLogWriter.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';

const [mode, dir, seedArg, startArg] = process.argv.slice(2);
const seed = Number(seedArg ?? '1');
const config = demoConfig({ storePath: `${dir}/ccgate.db`, queueLogPath: `${dir}/queue_log`, socketPath: null });
const errors: string[] = [];
const logger = new SinkLogger((r) => {
  if (r.level === 'error') errors.push(JSON.stringify(r));
}, 'warn');
const store = new SqliteStore(config.store.path, { logger });
// The restart resumes one second after the last committed event.
const last = store.readEvents(Math.max(0, store.lastEventSeq() - 1), 1)[0];
const clock = new FakeClock(mode === 'restart' && last ? last.at + 1_000 : Number(startArg));
const random = new SeededRandom(seed);
const net = new SimNetwork({ clock, random: new SeededRandom(seed + 1), keepRecords: false });
const trunks = config.trunks.map((t) => net.addTrunk(t.id, t.channels));
for (const a of config.agents) net.addAgentPhone(a.endpoint, { answerAfterMs: 2_000 });
const gw = new Gateway({ config, store, trunks, clock, random, logger });
const cursorKey = 'cursor:queue_log';
const queueLog = new QueueLogWriter(config.queueLog.path!, {
  getCursor: () => Number(store.getMeta(cursorKey) ?? '0'),
  setCursor: (s) => store.setMeta(cursorKey, String(s)),
  memberQueues: (a) => config.agents.find((x) => x.id === a)?.queues.map((q) => q.queue) ?? [],
});
for (;;) {
  const batch = store.readEvents(Number(store.getMeta(cursorKey) ?? '0'), 5000);
  if (batch.length === 0) break;
  queueLog.consumeBatch(batch);
  store.commit();
}
gw.addConsumer(queueLog);

const out = (line: string) => process.stdout.write(line + '\n');
gw.subscribe((e: StoredEvent) => {
  if (e.type === 'callbackRequested') out(`ACK callback ${e.callbackId} ${e.queue} ${e.number} ${e.joinedAt}`);
  else if (e.type === 'agentPaused') out(`ACK paused ${e.agent} ${e.reason}`);
  else if (e.type === 'agentUnpaused') out(`ACK unpaused ${e.agent}`);
  else if (e.type === 'campaignSubmitted') out(`ACK campaign ${e.campaignId} ${e.targets}`);
  else if (e.type === 'campaignDialled') out(`ACK dialled ${e.targetId} ${e.attempt}`);
});
gw.start();

async function busy(): Promise<void> {
  const site = new DemoSite(gw, config, net, clock, random, { callsPerDay: 9000, campaigns: false });
  site.start();
  gw.submitCampaign({ name: 'crash test', prompt: 'notice', targets: Array.from({ length: 60 }, (_, i) => ({ number: `+98912700${String(i).padStart(4, '0')}` })), callsPerMinute: 6, maxConcurrent: 3, agentQueue: null });
  // Run until killed, yielding so the kill can land between any two inputs.
  for (;;) {
    clock.advance(10_000);
    await new Promise((r) => setImmediate(r));
  }
}

function restart(): void {
  const total = 8 * 3600_000;
  for (let t = 0; t < total; t += 60_000) clock.advance(60_000);
  gw.stop();
  queueLog.close();
  store.commit();
  const summary = {
    errors,
    callbacks: store.callbacks.all().map((c) => ({ id: c.id, queue: c.queue, number: c.number, status: c.status, attempts: c.attempts, joinedAt: c.joinedAt, priority: c.priority })),
    targets: store.targets.all().map((t) => ({ id: t.id, status: t.status, attempts: t.attempts, result: t.result })),
    agents: store.agents.all().map((a) => ({ id: a.id, state: a.state, pauseReason: a.pauseReason })),
    lastSeq: store.lastEventSeq(),
  };
  store.close();
  process.stdout.write('SUMMARY ' + JSON.stringify(summary) + '\n');
}

if (mode === 'busy') await busy();
else restart();

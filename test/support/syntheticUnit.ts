/**
 * One call-centre unit as the cloud sees it, without the core: a real
 * SqliteStore on disk, the `cloud` DurableCursor over its meta, an
 * EventPublisher and a real MqttLink. The test feeds it call events the way
 * the core does (append in a transaction, commit, then `committed(seq)`), so
 * many units fit in one test process. The events are the core's own types
 * with realistic fields; their `at` is the wall-clock time of the append,
 * which the cloud side subtracts from its arrival time for the latency.
 */
import { join } from 'node:path';
import { SystemClock } from '../../gateway/core/Clock.ts';
import type { GatewayEvent } from '../../gateway/events.ts';
import { DurableCursors } from '../../gateway/retention/DurableCursors.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { EventPublisher } from '../../gateway/sync/EventPublisher.ts';
import { seededRandom } from '../../gateway/sync/link/backoff.ts';
import { MqttLink } from '../../gateway/sync/link/MqttLink.ts';
import type { MqttProtocol } from '../../gateway/sync/link/SyncLink.ts';
import { unitTopics, type UnitAddress, type UnitTopics } from '../../gateway/sync/topics.ts';

export interface SyntheticUnitOptions extends UnitAddress {
  /** Folder of the unit's database. */
  dir: string;
  brokers: string[];
  protocol?: MqttProtocol | 'auto';
  /** Seeds the link's back-off jitter and the call script. */
  seed: number;
  backoff?: { initialMs: number; maxMs: number };
  window?: number;
  batchEvents?: number;
}

type CallEvent = GatewayEvent;
const QUEUES = ['flights', 'trains', 'hotels'] as const;

/**
 * The events of one inbound call in the order the core writes them: offered,
 * answered by the IVR, a menu choice, the queue; then an agent (rung,
 * connected, completed) or, one call in five, the caller giving up; ended.
 * Seven to nine events.
 */
function* callScript(unit: string, n: number, now: () => number): Generator<CallEvent> {
  const callId = `${unit}-c${n}`;
  const queue = QUEUES[n % 3]!;
  const number = `+98912${String(1_000_000 + ((n * 7919) % 9_000_000)).padStart(7, '0')}`;
  const agent = `a${101 + (n % 45)}`;
  yield { type: 'callOffered', at: now(), callId, trunkId: `gsm${(n % 2) + 1}`, channel: n % 4, callerId: { kind: 'number', number }, dialled: '+982188776655' };
  yield { type: 'callAnswered', at: now(), callId };
  yield { type: 'ivrMenuEntered', at: now(), callId, menu: 'ivr-main' };
  yield { type: 'ivrDigitsCollected', at: now(), callId, menu: 'ivr-main', digits: String((n % 3) + 1) };
  const joinedAt = now();
  yield { type: 'queueEntered', at: joinedAt, callId, queue, callerNumber: number, position: (n % 4) + 1, priority: 0, joinedAt, kind: 'inbound' };
  if (n % 5 === 4) {
    yield { type: 'queueExited', at: now(), callId, queue, reason: 'abandon', position: 1, origPosition: (n % 4) + 1, waitMs: 95_000 };
  } else {
    yield { type: 'agentRung', at: now(), callId, queue, agent };
    yield { type: 'queueConnected', at: now(), callId, queue, agent, waitMs: 41_000 + (n % 7) * 3_000, ringMs: 4_200, kind: 'inbound' };
    yield { type: 'queueCompleted', at: now(), callId, queue, agent, by: n % 2 ? 'caller' : 'agent', dropped: false, waitMs: 41_000, talkMs: 180_000, origPosition: (n % 4) + 1 };
  }
  yield { type: 'callEnded', at: now(), callId, cause: 'caller' };
}

export class SyntheticUnit {
  readonly store: SqliteStore;
  readonly link: MqttLink;
  readonly publisher: EventPublisher;
  readonly topics: UnitTopics;
  /** `tenant/site/unit`, as in every batch. */
  readonly name: string;
  /** The event log's identity: ids are `log:seq`. */
  readonly logId: string;
  private readonly clock = new SystemClock();
  /** Calls in progress; their events interleave, as a site's do. */
  private readonly open: Array<Generator<CallEvent>> = [];
  private calls = 0;
  private turn = 0;
  private readonly unit: string;

  constructor(o: SyntheticUnitOptions) {
    this.topics = unitTopics(o);
    this.unit = o.unit;
    this.name = `${o.tenant}/${o.site}/${o.unit}`;
    this.logId = `log-${o.unit}`;
    this.store = new SqliteStore(join(o.dir, `${o.unit}.db`));
    const cursor = new DurableCursors(this.store).register('cloud');
    const state = (online: boolean): string => JSON.stringify({ v: 1, unit: this.name, online, session: 1, at: this.clock.now() });
    this.link = new MqttLink({
      brokers: o.brokers,
      protocol: o.protocol ?? 'auto',
      clientId: `ccgate-${o.tenant}-${o.site}-${o.unit}`,
      keepaliveSec: 10,
      connectTimeoutMs: 5_000,
      will: { topic: this.topics.state, payload: state(false), qos: 1, retain: true },
      birth: () => ({ topic: this.topics.state, payload: state(true) }),
      subscriptions: [this.topics.cmdFilter],
      backoff: o.backoff ?? { initialMs: 1_000, maxMs: 60_000 },
      random: seededRandom(o.seed),
      clock: this.clock,
    });
    this.publisher = new EventPublisher({
      link: this.link,
      source: this.store,
      cursor,
      committedSeq: this.store.lastEventSeq(),
      topic: this.topics.evt,
      unit: this.name,
      log: this.logId,
      clock: this.clock,
      runInput: (_what, fn) => this.transaction(fn),
      ...(o.window !== undefined ? { window: o.window } : {}),
      ...(o.batchEvents !== undefined ? { batchEvents: o.batchEvents } : {}),
    });
  }

  start(): void {
    this.publisher.start();
    this.link.start();
  }

  /** Append the next `n` events of the unit's calls in one transaction, commit, and tell the publisher. */
  feed(n: number): void {
    if (n <= 0) return;
    this.transaction(() => {
      for (let i = 0; i < n; i++) this.store.appendEvent(this.nextEvent());
    });
    this.publisher.committed(this.store.lastEventSeq());
  }

  get lastSeq(): number {
    return this.store.lastEventSeq();
  }

  async stop(): Promise<void> {
    this.publisher.stop();
    await this.link.stop();
    this.clock.dispose();
    this.store.close();
  }

  private transaction(fn: () => void): void {
    this.store.batch(fn);
    this.store.commit();
  }

  private nextEvent(): CallEvent {
    // Two or three calls at a time, taken in turn.
    while (this.open.length < 2 + (this.calls % 2)) this.open.push(callScript(this.unit, ++this.calls, () => this.clock.now()));
    for (;;) {
      const at = this.turn++ % this.open.length;
      const next = this.open[at]!.next();
      if (!next.done) return next.value;
      this.open.splice(at, 1);
      this.open.push(callScript(this.unit, ++this.calls, () => this.clock.now()));
    }
  }
}

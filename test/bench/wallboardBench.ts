/**
 * `wallboard` job of `npm run bench`: how fast a change in the core reaches a
 * sign, and how many bytes it costs on the wire.
 *
 *   latency   a real Gateway (memory store, SystemClock) → committed event →
 *             wallboard runtime → Alpha driver → the real `serialport` binding
 *             → a socat PTY → first byte read at the far end, for an agent
 *             pause/unpause (agents ready changes, sent at once: minIntervalMs 0).
 *             Reference in the same run: the same 21-byte packet written
 *             straight to the PTY with serialport and read at the far end.
 *   bytes     Alpha bytes on the wire per KPI change against the minimum
 *             (the changed STRING packet alone), over a run of changes.
 */
import { SerialPort } from 'serialport';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { silentLogger } from '../../gateway/core/Logger.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import { Gateway } from '../../gateway/Gateway.ts';
import { MemoryStore } from '../../gateway/store/MemoryStore.ts';
import { alphaBytesPerChange, openAlphaDisplay } from '../../drivers/display/alpha/index.ts';
import { PtyPair } from '../../drivers/serial/PtyPair.ts';
import { gatewayConfigSchema } from '../../firmware/config/schema.ts';
import type { BoardConfig } from '../../wallboard/config/BoardConfig.ts';
import { DEFAULT_THRESHOLDS } from '../../wallboard/figures/thresholds.ts';
import { WallboardRuntime } from '../../wallboard/runtime/WallboardRuntime.ts';
import { boardConfig } from '../../wallboard/runtime/testing.ts';
import { round } from './rss.ts';

export const WALLBOARD_DEFAULTS = { changes: 400, warmup: 40, gapMs: 15 } as const;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentiles(ms: number[]): Record<string, number> {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
  return { n: s.length, p50: round(at(50), 3), p99: round(at(99), 3), max: round(s[s.length - 1] ?? NaN, 3) };
}

/** Resolves at the next chunk the far end reads. */
function nextChunk(port: SerialPort): Promise<number> {
  return new Promise((resolve) => port.once('data', () => resolve(performance.now())));
}

function openPort(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const p = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    p.open((e) => (e ? reject(e) : resolve(p)));
  });
}

export async function wallboardBench(opts: typeof WALLBOARD_DEFAULTS = WALLBOARD_DEFAULTS): Promise<Record<string, unknown>> {
  const pty = await PtyPair.open({ name: 'sign' });
  const far = await openPort(pty.devicePath);
  const clock = new SystemClock();
  const config = gatewayConfigSchema.parse({ agents: [{ id: 'a1', endpoint: '1001', queues: ['general'] }, { id: 'a2', endpoint: '1002', queues: ['general'] }] });
  const gateway = new Gateway({ config, store: new MemoryStore(), trunks: [], clock, random: new SeededRandom(1), logger: silentLogger });
  const board: BoardConfig = boardConfig({
    id: 'sign',
    kind: 'alpha',
    items: ['agentsReady', 'callsWaiting'],
    minIntervalMs: 0,
    connection: { kind: 'alpha', port: pty.hostPath, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, address: 1, typeCode: 'Z', rows: 7, columns: 80, colour: true },
  });
  const display = openAlphaDisplay(board, { clock, logger: silentLogger, render: null });
  const runtime = new WallboardRuntime({ source: gateway, site: config, wallboard: { thresholds: DEFAULT_THRESHOLDS, counterFreshMs: 60_000, web: null, boards: [board] }, displays: new Map([['sign', display]]), clock, logger: silentLogger });
  const latencies: number[] = [];
  try {
    await runtime.open();
    gateway.start();
    gateway.agentLogin('a1');
    gateway.agentLogin('a2');
    runtime.start();
    await sleep(300); // layout and first figures
    far.read();
    for (let i = 0; i < opts.warmup + opts.changes; i++) {
      const arrived = nextChunk(far);
      const t0 = performance.now();
      if (i % 2 === 0) gateway.agentPause('a1', 'bench');
      else gateway.agentUnpause('a1');
      const t1 = await Promise.race([arrived, sleep(1_000).then(() => NaN)]);
      if (i >= opts.warmup) latencies.push(t1 - t0);
      await sleep(opts.gapMs);
    }
    // Reference: the same packet size straight through serialport and a second PTY.
    const refPty = await PtyPair.open({ name: 'reference' });
    const raw = await openPort(refPty.hostPath);
    const refFar = await openPort(refPty.devicePath);
    const packet = Buffer.alloc(21, 0x41);
    const reference: number[] = [];
    for (let i = 0; i < opts.warmup + opts.changes; i++) {
      const arrived = nextChunk(refFar);
      const t0 = performance.now();
      raw.write(packet);
      const t1 = await arrived;
      if (i >= opts.warmup) reference.push(t1 - t0);
      await sleep(opts.gapMs);
    }
    await new Promise<void>((r) => raw.close(() => r()));
    await new Promise<void>((r) => refFar.close(() => r()));
    await refPty.close();
    const lost = latencies.filter((l) => Number.isNaN(l)).length;
    const core = percentiles(latencies.filter((l) => !Number.isNaN(l)));
    const ref = percentiles(reference);
    // Bytes per change over views the runtime itself produced.
    const costs = await bytesPerChange(board);
    return {
      name: 'wallboard',
      eventToFirstByteMs: { ...core, lost, aimP99Ms: 50, meetsAim: core.p99! < 50 },
      rawPtyWriteMs: ref,
      ratioP50: round(core.p50! / ref.p50!, 1),
      ratioP99: round(core.p99! / ref.p99!, 1),
      alphaBytesPerChange: costs,
    };
  } finally {
    await runtime.stop().catch(() => undefined);
    gateway.stop();
    await new Promise<void>((r) => far.close(() => r()));
    await pty.close();
  }
}

async function bytesPerChange(board: BoardConfig): Promise<Record<string, number>> {
  const { FakeClock } = await import('../../gateway/core/FakeClock.ts');
  const { ManualSource, RecordingDisplay } = await import('../../wallboard/runtime/testing.ts');
  const { sampleKpis, sampleSnapshot } = await import('../../firmware/view/statusFixture.ts');
  // Views as the runtime builds them: callers waiting go 0 → 30 and back, one at a time.
  const clock = new FakeClock();
  const source = new ManualSource(sampleKpis(), sampleSnapshot());
  const rec = new RecordingDisplay('sign', 100);
  const runtime = new WallboardRuntime({ source, site: gatewayConfigSchema.parse({}), wallboard: { thresholds: DEFAULT_THRESHOLDS, counterFreshMs: 60_000, web: null, boards: [board] }, displays: new Map([['sign', rec]]), clock, logger: silentLogger });
  await runtime.open();
  runtime.start();
  for (const n of [...Array.from({ length: 30 }, (_, i) => i + 1), ...Array.from({ length: 30 }, (_, i) => 29 - i)]) {
    const k = sampleKpis();
    k.site.live = { ...k.site.live, callsWaiting: n };
    source.kpiSnapshot = k;
    source.emit({ type: 'callAnswered', at: clock.now(), callId: 'c' });
    clock.advance(1);
    await Promise.resolve();
  }
  const live = rec.shown.filter((v) => v.state === 'live');
  const costs = await alphaBytesPerChange(board, live, { clock: new FakeClock(), logger: silentLogger });
  const bytes = costs.reduce((s, c) => s + c.bytes, 0);
  const minimum = costs.reduce((s, c) => s + c.minimum, 0);
  return { changes: costs.length, bytesPerChange: round(bytes / costs.length, 1), minimumPerChange: round(minimum / costs.length, 1), ratioToMinimum: round(bytes / minimum, 2), relayouts: costs.filter((c) => c.relayout).length };
}

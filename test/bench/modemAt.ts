import { fork } from 'node:child_process';
import { siblingScript } from './sibling.ts';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { silentLogger } from '../../gateway/core/Logger.ts';
import { urcShape } from '../../drivers/modem/messages/urcTable.ts';
import type { AtCommand } from '../../drivers/modem/session/AtCommand.ts';
import { AtSession } from '../../drivers/modem/session/AtSession.ts';
import { startFakeModemOnPty } from '../../drivers/modem/sim/startFakeModemOnPty.ts';
import type { FakeModem } from '../../drivers/modem/sim/FakeModem.ts';
import type { ModemFamily } from '../../drivers/modem/sim/state.ts';
import { SerialTransport } from '../../drivers/serial/SerialTransport.ts';
import type { FakeChildReply, FakeChildRequest } from './fakeModemChild.ts';
import { ptyRoundTrips } from './ptyRoundTrip.ts';
import { maxRssMB, round } from './rss.ts';

/**
 * `modemAt` job of `npm run bench`: the GSM modem driver's AT stack
 * (SerialTransport on the real `serialport` binding → AtSession with the
 * production URC table) against the scripted fake modem on a socat PTY pair,
 * in real time (SystemClock).
 *
 *   1. AT transactions/s: `AT+CSQ` one after the other, and pipelined (all
 *      queued at once; the session still has one in flight), with CPU per
 *      transaction; the fake in this process (CPU includes the DCE side), then
 *      again with the fake in a child process (host-only CPU).
 *   2. URC → 'urc' event latency: DTMF URCs written by the fake a few ms apart,
 *      with the session idle and while it runs AT+CSQ back to back.
 *   3. References measured in the same run: the 115200 Bd 8N1 line limit for
 *      the bytes one transaction really moves, and a raw PTY round trip of
 *      the same bytes with plain SerialTransports and no AT layer.
 */
export interface ModemAtInput {
  family: ModemFamily;
  /** Measured AT+CSQ transactions per variant. */
  transactions: number;
  /** Unmeasured transactions first (JIT, buffers). */
  warmup: number;
  /** DTMF URCs with the session idle. */
  urcs: number;
  /** DTMF URCs while AT+CSQ runs back to back. */
  urcsUnderLoad: number;
  /** Gap between two URC writes (ms, setTimeout). */
  urcPaceMs: number;
  baud: number;
}

export const MODEM_AT_DEFAULTS: ModemAtInput = { family: 'sim800', transactions: 3000, warmup: 300, urcs: 2000, urcsUnderLoad: 1000, urcPaceMs: 3, baud: 115200 };

const CSQ: AtCommand = { text: 'AT+CSQ', expect: ['+CSQ:'], timeout: 'quick' };
const DTMF_DIGITS = '0123456789*#ABCD';

interface RunFigures {
  transactions: number;
  wallMs: number;
  cpuUs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** N × AT+CSQ, each awaited before the next is sent. */
async function sequential(session: AtSession, n: number): Promise<RunFigures> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await session.send(CSQ);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { transactions: n, wallMs, cpuUs: cpu.user + cpu.system };
}

/** N × AT+CSQ queued in one go; the session runs them one at a time. */
async function pipelined(session: AtSession, n: number): Promise<RunFigures> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const all: Array<Promise<unknown>> = [];
  for (let i = 0; i < n; i++) all.push(session.send(CSQ));
  await Promise.all(all);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { transactions: n, wallMs, cpuUs: cpu.user + cpu.system };
}

function figures(r: RunFigures, lineLimitedTxPerSec: number, cpuLabel = 'cpuUsPerTx'): Record<string, unknown> {
  const txPerSec = r.transactions / (r.wallMs / 1000);
  return {
    transactions: r.transactions,
    wallSec: round(r.wallMs / 1000, 3),
    txPerSec: Math.round(txPerSec),
    [cpuLabel]: round(r.cpuUs / r.transactions, 1),
    cpuPerWall: round(r.cpuUs / 1000 / r.wallMs, 2),
    ratioToLine: round(txPerSec / lineLimitedTxPerSec, 2),
  };
}

/** Nearest-rank percentiles of latencies in ms. */
function percentiles(ms: number[]): Record<string, number> {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, p50: round(at(50), 3), p90: round(at(90), 3), p99: round(at(99), 3), max: round(s[s.length - 1] ?? NaN, 3), mean: round(mean, 3) };
}

/**
 * `count` DTMF URCs, one every `paceMs`: time from just before the fake's
 * write to the session's 'urc' event (FIFO: the PTY keeps order).
 */
async function urcLatency(session: AtSession, fake: FakeModem, count: number, paceMs: number): Promise<{ latency: Record<string, number>; mismatched: number; unknown: number; lost: number; meanGapMs: number }> {
  const dtmfLine = (d: string): string => fake.dialect.dtmfUrc(d, { ...fake.settings, dtmfDetect: true }) ?? `+DTMF: ${d}`;
  const pending: Array<{ line: string; t0: number }> = [];
  const latencies: number[] = [];
  let mismatched = 0;
  let unknown = 0;
  let allIn: (() => void) | null = null;
  const onUrc = (line: string, _trailing: string[], known: boolean): void => {
    const t1 = performance.now();
    const head = pending[0];
    if (!head || head.line !== line) {
      mismatched++;
      return;
    }
    pending.shift();
    latencies.push(t1 - head.t0);
    if (!known) unknown++;
    if (latencies.length === count) allIn?.();
  };
  session.on('urc', onUrc);
  try {
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const line = dtmfLine(DTMF_DIGITS[i % DTMF_DIGITS.length]!);
      pending.push({ line, t0: performance.now() });
      fake.sendUrc(line);
      await sleep(paceMs);
    }
    const meanGapMs = (performance.now() - start) / count;
    if (latencies.length < count) await Promise.race([new Promise<void>((r) => (allIn = r)), sleep(2_000)]);
    return { latency: percentiles(latencies), mismatched, unknown, lost: count - latencies.length, meanGapMs: round(meanGapMs, 2) };
  } finally {
    session.off('urc', onUrc);
  }
}

function escape(bytes: Uint8Array): string {
  return JSON.stringify(Buffer.from(bytes).toString('latin1')).slice(1, -1);
}

/** One AT+CSQ with the wire traffic captured: the exact command and reply bytes. */
async function captureOne(session: AtSession): Promise<{ request: Buffer; reply: Buffer; lines: string[] }> {
  const tx: Uint8Array[] = [];
  const rx: Uint8Array[] = [];
  const onTraffic = (dir: 'tx' | 'rx', bytes: Uint8Array): void => void (dir === 'tx' ? tx : rx).push(Buffer.from(bytes));
  session.on('traffic', onTraffic);
  const res = await session.send(CSQ);
  await sleep(50); // any byte of the reply still on its way
  session.off('traffic', onTraffic);
  return { request: Buffer.concat(tx), reply: Buffer.concat(rx), lines: res.lines };
}

/** Bytes moved per direction while `fn` runs. */
async function countTraffic<T>(session: AtSession, fn: () => Promise<T>): Promise<{ result: T; tx: number; rx: number }> {
  let tx = 0;
  let rx = 0;
  const onTraffic = (dir: 'tx' | 'rx', bytes: Uint8Array): void => {
    if (dir === 'tx') tx += bytes.length;
    else rx += bytes.length;
  };
  session.on('traffic', onTraffic);
  try {
    const result = await fn();
    return { result, tx, rx };
  } finally {
    session.off('traffic', onTraffic);
  }
}

/** The session on the host end of `hostPath`, echo switched off. */
async function openSession(hostPath: string, clock: SystemClock): Promise<AtSession> {
  const host = new SerialTransport({ path: hostPath });
  await host.open();
  const session = new AtSession({ transport: host, clock, logger: silentLogger, urcShape });
  await session.send({ text: 'ATE0', timeout: 'quick' });
  // Let the boot banner and the ATE0 answer drain before anything is measured.
  await sleep(100);
  return session;
}

/** The fake in a forked child: host-only CPU of the same two loops, plus the child's own CPU. */
async function withFakeInChild(o: ModemAtInput, lineLimitedTxPerSec: number, progress: (l: string) => void): Promise<Record<string, unknown>> {
  const script = siblingScript(import.meta.url, 'fakeModemChild');
  // Same node flags (--import tsx, heap limits); its stdout must not mix into this job's JSON.
  const child = fork(script, [o.family], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const replies: FakeChildReply[] = [];
  let wake: (() => void) | null = null;
  child.on('message', (m: FakeChildReply) => {
    replies.push(m);
    wake?.();
  });
  const next = async (kind: FakeChildReply['kind']): Promise<FakeChildReply> => {
    const deadline = performance.now() + 15_000;
    for (;;) {
      const i = replies.findIndex((r) => r.kind === kind || r.kind === 'failed');
      if (i >= 0) {
        const r = replies.splice(i, 1)[0]!;
        if (r.kind === 'failed') throw new Error(`fake modem child failed: ${r.error}`);
        return r;
      }
      if (performance.now() > deadline || child.exitCode !== null) throw new Error(`fake modem child: no '${kind}' (exit ${child.exitCode})`);
      await Promise.race([new Promise<void>((r) => (wake = r)), sleep(200)]);
    }
  };
  const request = (m: FakeChildRequest): void => void child.send(m);
  const childCpu = async (): Promise<number> => {
    request({ kind: 'cpu' });
    const r = (await next('cpu')) as Extract<FakeChildReply, { kind: 'cpu' }>;
    return r.user + r.system;
  };
  const clock = new SystemClock();
  let session: AtSession | null = null;
  try {
    const ready = (await next('ready')) as Extract<FakeChildReply, { kind: 'ready' }>;
    session = await openSession(ready.hostPath, clock);
    for (let i = 0; i < o.warmup; i++) await session.send(CSQ);
    progress(`  fake in a child process: ${o.transactions} sequential + ${o.transactions} pipelined …`);
    const run = async (fn: () => Promise<RunFigures>): Promise<Record<string, unknown>> => {
      const c0 = await childCpu();
      const r = await fn();
      const fakeCpuUs = (await childCpu()) - c0;
      return { ...figures(r, lineLimitedTxPerSec, 'hostCpuUsPerTx'), fakeCpuUsPerTx: round(fakeCpuUs / r.transactions, 1) };
    };
    const s = session;
    const seq = await run(() => sequential(s, o.transactions));
    const pipe = await run(() => pipelined(s, o.transactions));
    return { sequential: seq, pipelined: pipe };
  } finally {
    await session?.close();
    clock.dispose();
    if (child.connected) request({ kind: 'close' });
    const code = await Promise.race([exited, sleep(5_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') child.kill('SIGKILL');
  }
}

export async function modemAtBench(o: ModemAtInput = MODEM_AT_DEFAULTS, progress: (line: string) => void = () => {}): Promise<Record<string, unknown>> {
  const tStart = performance.now();
  const lineBytesPerSec = o.baud / 10; // 8N1: start + 8 data + stop bits per byte
  const notes: string[] = [];

  // --- 1 & 2: fake modem in this process ---------------------------------------------------
  const clock = new SystemClock();
  const modem = await startFakeModemOnPty({ family: o.family, clock, name: 'bench' });
  let session: AtSession | null = null;
  let inProcess: Record<string, unknown>;
  let wire: Record<string, unknown>;
  let request: Buffer;
  let reply: Buffer;
  let lineLimitedTxPerSec: number;
  let seqTxPerSec: number;
  let urcIdle: Awaited<ReturnType<typeof urcLatency>>;
  let urcLoaded: Awaited<ReturnType<typeof urcLatency>> & { backgroundTxPerSec: number };
  try {
    session = await openSession(modem.hostPath, clock);
    const one = await captureOne(session);
    ({ request, reply } = one);
    if (one.lines.length !== 1 || !one.lines[0]!.startsWith('+CSQ:')) throw new Error(`unexpected AT+CSQ answer ${JSON.stringify(one.lines)}`);
    const bytesPerTx = request.length + reply.length;
    lineLimitedTxPerSec = lineBytesPerSec / bytesPerTx;
    wire = {
      command: escape(request),
      reply: escape(reply),
      commandBytes: request.length,
      replyBytes: reply.length,
      bytesPerTransaction: bytesPerTx,
    };
    for (let i = 0; i < o.warmup; i++) await session.send(CSQ);

    progress(`  fake in this process: ${o.transactions} sequential AT+CSQ …`);
    const s = session;
    const seq = await countTraffic(s, () => sequential(s, o.transactions));
    progress(`  fake in this process: ${o.transactions} pipelined AT+CSQ …`);
    const pipe = await countTraffic(s, () => pipelined(s, o.transactions));
    for (const [label, c] of [['sequential', seq], ['pipelined', pipe]] as const) {
      const txB = c.tx / o.transactions;
      const rxB = c.rx / o.transactions;
      if (txB !== request.length || rxB !== reply.length) notes.push(`${label}: counted ${round(txB, 2)} + ${round(rxB, 2)} bytes per transaction on the wire, the sample had ${request.length} + ${reply.length}`);
    }
    wire.countedBytesPerTransaction = round((seq.tx + seq.rx + pipe.tx + pipe.rx) / (2 * o.transactions), 2);
    seqTxPerSec = seq.result.transactions / (seq.result.wallMs / 1000);
    inProcess = { sequential: figures(seq.result, lineLimitedTxPerSec), pipelined: figures(pipe.result, lineLimitedTxPerSec) };

    progress(`  ${o.urcs} DTMF URCs ${o.urcPaceMs} ms apart, session idle …`);
    urcIdle = await urcLatency(s, modem.fake, o.urcs, o.urcPaceMs);

    progress(`  ${o.urcsUnderLoad} DTMF URCs ${o.urcPaceMs} ms apart while AT+CSQ runs back to back …`);
    let stop = false;
    let bgCount = 0;
    const bg = (async () => {
      while (!stop) {
        await s.send(CSQ);
        bgCount++;
      }
    })();
    const tBg = performance.now();
    const loaded = await urcLatency(s, modem.fake, o.urcsUnderLoad, o.urcPaceMs);
    stop = true;
    await bg;
    urcLoaded = { ...loaded, backgroundTxPerSec: Math.round(bgCount / ((performance.now() - tBg) / 1000)) };
  } finally {
    await session?.close();
    await modem.close();
    clock.dispose();
  }

  // --- 3: raw PTY round trips of the same bytes ---------------------------------------------
  progress(`  raw PTY reference: ${o.transactions} round trips of ${request.length} + ${reply.length} bytes …`);
  const raw = await ptyRoundTrips({ request, reply, roundTrips: o.transactions, warmup: o.warmup });
  const rawTxPerSec = raw.roundTrips / (raw.wallMs / 1000);

  // --- 1b: the fake in a child process: host-only CPU ---------------------------------------------
  let hostOnly: Record<string, unknown>;
  try {
    hostOnly = await withFakeInChild(o, lineLimitedTxPerSec, progress);
  } catch (e) {
    hostOnly = { failed: true, error: e instanceof Error ? e.message : String(e) };
  }

  notes.push(
    'inProcess: the fake modem (DCE) runs in this process, so cpuUsPerTx counts both the host AT stack and the fake; socat (the PTY pair) is a separate process and not counted anywhere',
    'fakeInChild: the same loops with the fake in a forked child; hostCpuUsPerTx is this process only (SerialTransport + AtSession + serialport binding), fakeCpuUsPerTx is the child',
    'cpuPerWall: CPU seconds per wall second of this process (1.0 = one core busy)',
    `reference.line: a PTY has no baud rate; ${o.baud} Bd 8N1 moves ${lineBytesPerSec} bytes/s, one transaction is command + CR + the fake's reply as counted on the wire (echo off), so ratio > 1 means the software would not be the bottleneck on a real UART`,
    'reference.rawPtyRoundTrip: the same request/reply bytes between two plain SerialTransports in this process, one round trip at a time, no AT layer; ratioToRawRoundTrip = sequential AT tx/s ÷ that rate (1 = no AT-stack overhead)',
    'urcLatencyMs: from performance.now() just before FakeModem.sendUrc to the AtSession "urc" event, both in this process; includes the fake\'s write chain, socat and the tty layer; underLoad: AT+CSQ back to back at the same time, so a URC may wait behind a reply',
    'a real modem answers AT+CSQ in some ms of its own firmware time, which neither the fake nor this bench models',
  );

  const ratio = seqTxPerSec / lineLimitedTxPerSec;
  const result = {
    name: 'modemAt',
    input: o,
    transport: 'serialport binding on a socat PTY pair, SystemClock, AtSession with messages/urcTable.ts urcShape, echo off (ATE0)',
    wire,
    inProcess,
    fakeInChild: hostOnly,
    urcLatencyMs: {
      idle: { ...urcIdle.latency, meanGapMs: urcIdle.meanGapMs, lost: urcIdle.lost, mismatched: urcIdle.mismatched, unknown: urcIdle.unknown },
      underLoad: { ...urcLoaded.latency, meanGapMs: urcLoaded.meanGapMs, lost: urcLoaded.lost, mismatched: urcLoaded.mismatched, unknown: urcLoaded.unknown, backgroundTxPerSec: urcLoaded.backgroundTxPerSec },
    },
    reference: {
      line: { baud: o.baud, frame: '8N1', bytesPerSec: lineBytesPerSec, bytesPerTransaction: request.length + reply.length, txPerSec: round(lineLimitedTxPerSec, 1) },
      rawPtyRoundTrip: { roundTrips: raw.roundTrips, wallSec: round(raw.wallMs / 1000, 3), txPerSec: Math.round(rawTxPerSec), cpuUsPerRoundTrip: round(raw.cpuUs / raw.roundTrips, 1) },
    },
    ratio: round(ratio, 2),
    ratioToRawRoundTrip: round(seqTxPerSec / rawTxPerSec, 3),
    wallSec: round((performance.now() - tStart) / 1000, 1),
    maxRssMB: maxRssMB(),
    notes,
  };
  const pipeTx = (inProcess.pipelined as { txPerSec: number }).txPerSec;
  const hostCpu = (hostOnly.sequential as { hostCpuUsPerTx?: number } | undefined)?.hostCpuUsPerTx;
  progress(
    `modemAt: AT+CSQ ${Math.round(seqTxPerSec)} tx/s sequential, ${pipeTx} pipelined (${round(ratio, 1)}× the ${round(lineLimitedTxPerSec, 0)} tx/s of ${o.baud} Bd; ` +
      `${round(seqTxPerSec / rawTxPerSec, 2)}× raw PTY ${Math.round(rawTxPerSec)} rt/s); CPU ${(inProcess.sequential as { cpuUsPerTx: number }).cpuUsPerTx} µs/tx with fake` +
      `${hostCpu !== undefined ? `, ${hostCpu} µs/tx host only` : ''}; URC p50 ${urcIdle.latency.p50} / p99 ${urcIdle.latency.p99} / max ${urcIdle.latency.max} ms idle, p99 ${urcLoaded.latency.p99} ms under load`,
  );
  return result;
}

import { createWriteStream } from 'node:fs';
import type { StoredEvent } from '../../gateway/events.ts';
import { localParts } from '../../gateway/core/localTime.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import { DEFAULT_SOCKET_PATH } from '../api/protocol.ts';
import type { DemoOptions } from '../cli/commands.ts';
import type { CcgateConfig } from '../config/CcgateConfig.ts';
import { demoConfig } from '../config/demoConfig.ts';
import { loadConfig } from '../config/loadConfig.ts';
import { DemoSite } from '../demo/DemoSite.ts';
import { jsonLogger } from '../runtime/jsonLogger.ts';
import { RealTimersClock } from '../runtime/RealTimersClock.ts';
import { ScaledClock } from '../runtime/ScaledClock.ts';
import { clockTime, formatEvent } from '../view/formatEvent.ts';
import { renderSms } from '../view/renderSms.ts';
import { RECENT_LINES, renderStatus, renderStatusText } from '../view/renderStatus.ts';
import { Daemon } from './Daemon.ts';
import { lockDatabase } from './dbLock.ts';
import { demoPaths, lastAliveIn } from '../demo/demoData.ts';
import { buildTrunks } from './trunks.ts';
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import { startDemoModems } from '../demo/demoModems.ts';

/** Real milliseconds between redraws of the live view. */
const REDRAW_MS = 1_000;
/** Without a terminal, print a status block every this many virtual minutes. */
const PLAIN_EVERY_MIN = 60;

/**
 * `ccgate demo`: the whole appliance on simulated trunks with simulated
 * callers and agents, on a clock running `speed` times faster than real time
 * from 09:00 site time, with a live terminal view. Its database and queue_log
 * go to a fresh temporary folder, and the API socket is the usual one, so
 * `ccgate status` works against the demo from another terminal. With
 * `--data DIR` they (and the socket) live in DIR instead, and a demo stopped
 * or killed there resumes: same database, agents as they were, virtual time
 * going on from the last moment the previous run was known alive.
 */
export async function demoCommand(opts: DemoOptions): Promise<number> {
  const paths = demoPaths(opts.dataDir, DEFAULT_SOCKET_PATH);
  const work = paths.dir;
  const base = opts.configPath ? loadConfig(opts.configPath) : demoConfig(paths);
  // The demo keeps its data in its own folder, whatever the file says (again on a reload).
  const inDemoFolder = (c: CcgateConfig): CcgateConfig => ({ ...c, store: { ...c.store, path: paths.storePath }, queueLog: { ...c.queueLog, path: paths.queueLogPath }, api: { socketPath: paths.socketPath } });
  const config = inDemoFolder(base);
  const logFile = paths.logFile;
  const logger = jsonLogger(createWriteStream(logFile, { flags: 'a' }), config.log.level);
  // Before the store is read or any trunk opened: a second demo on this folder stops here.
  const dbLock = lockDatabase(config.store.path, { logger, socketPath: config.api.socketPath });
  const resumedAt = lastAliveIn(paths.storePath, logger);
  const now = Date.now();
  const local = localParts(now, config.site.timeZone);
  const nineToday = now - (local.minuteOfDay - 9 * 60) * 60_000 - (now % 60_000);
  const clock = new ScaledClock({ speed: opts.speed, startMs: resumedAt ?? nineToday });
  const random = new SeededRandom(now % 2 ** 32);
  const network = new SimNetwork({ clock, random, logger });
  const fakeModems = opts.modemPty ? await startDemoModems(network, clock, logger) : null;
  if (fakeModems) config.trunks = fakeModems.trunks;
  // The E1 span is opened here, not from the config: its board, decoders and framer are the demo's simulators.
  const demoSpan = opts.e1 ? await (await import('../demo/demoSpan.ts')).startDemoSpan(network, clock, logger) : null;
  const built = await buildTrunks(demoSpan ? { ...config, trunks: [] } : config, clock, random, logger, network);
  if (demoSpan) config.trunks = [demoSpan.config];
  const trunks = demoSpan ? [demoSpan.trunk] : built.trunks;
  const daemon = await Daemon.start({ config, trunks, clock, random, logger, simulatedBoards: true, boardClock: new RealTimersClock(clock), ...(opts.configPath ? { configFile: opts.configPath, configOverrides: inDemoFolder } : {}) });
  const site = new DemoSite(daemon.gateway, config, network, clock, random, { emails: true, smsSurveyReplyShare: 0.2 });
  const recent: string[] = [];
  daemon.gateway.subscribe((ev: StoredEvent) => {
    if (ev.type === 'agentStateChanged' || ev.type === 'callAnswered' || ev.type === 'ivrMenuEntered' || ev.type === 'ivrDigitsCollected' || ev.type === 'agentRung' || ev.type === 'smsSubmitting' || ev.type === 'callLanguageSet') return;
    recent.push(formatEvent(ev, config.site.timeZone));
    if (recent.length > RECENT_LINES) recent.shift();
  });
  site.start();

  const tty = process.stdout.isTTY === true;
  const out = process.stdout;
  const startVirtual = clock.now();
  // The site as the last tick saw it, for the closing frame after a Ctrl-C: the terminal signals the whole
  // process group, and the helpers under the demo (socat's PTY pairs, the libpri harness) may be gone, a
  // span or modem down, before the demo hears the signal.
  let seen = { snap: daemon.gateway.snapshot(), kpis: daemon.gateway.kpis() };
  const draw = () => {
    const snap = daemon.gateway.snapshot();
    const kpis = daemon.gateway.kpis();
    seen = { snap, kpis };
    if (tty) {
      out.write('\x1b[H\x1b[2J' + renderStatus(snap, kpis, { width: out.columns ?? 100, color: true, recent, timeZone: config.site.timeZone }) + '\n  Ctrl-C to stop · `ccgate status` in another terminal\n');
    }
  };
  const trunkWords = fakeModems
    ? `${fakeModems.trunks.length} fake GSM modems on pseudo-terminals (${fakeModems.trunks.map((t) => `${t.id} ${t.port}`).join(', ')})`
    : demoSpan
      ? `one E1 span of ${demoSpan.config.channels} channels on ${demoSpan.config.dchannel.port} (network end: ${demoSpan.network.name}; ${demoSpan.config.dtmf!.decoders.length} MT8870 decoders)`
      : `${config.trunks.length} simulated trunks`;
  out.write(`ccgate demo: ${config.site.name}, ${config.agents.length} agents, ${trunkWords}, ${opts.speed}× real time\n`);
  if (resumedAt !== null) out.write(`  resumed at ${clockTime(resumedAt, config.site.timeZone)} site time, where the last run left off\n`);
  out.write(`  database ${paths.storePath}\n  queue_log ${paths.queueLogPath}\n  logs ${logFile}\n`);
  if (paths.kept) out.write(`  socket ${paths.socketPath} (ccgate status --socket ${paths.socketPath})\n`);
  const web = daemon.wallboard?.webAddress;
  if (web) out.write(`  web wallboard ${web}/ (${config.wallboard.boards.filter((b) => b.kind === 'web').length} pages)\n`);
  if (daemon.wallboard) out.write(`  LED boards on simulators: ccgate wallboard preview${paths.kept ? ` --socket ${paths.socketPath}` : ''}\n`);
  let lastPlain = startVirtual;
  let signalled = false;
  const done = new Promise<void>((resolveDone) => {
    const tick = setInterval(() => {
      const elapsedMin = (clock.now() - startVirtual) / 60_000;
      draw();
      if (!tty && clock.now() - lastPlain >= PLAIN_EVERY_MIN * 60_000) {
        lastPlain = clock.now();
        out.write('\n' + renderStatusText(seen.snap, seen.kpis, { width: 100, timeZone: config.site.timeZone }) + renderSms(seen.snap, false, config.site.timeZone) + '\n');
      }
      if (opts.minutes !== null && elapsedMin >= opts.minutes) finish(false);
    }, REDRAW_MS);
    const finish = (bySignal: boolean) => {
      clearInterval(tick);
      signalled = bySignal;
      resolveDone();
    };
    process.once('SIGINT', () => finish(true));
    process.once('SIGTERM', () => finish(true));
  });
  await done;
  site.stop();
  const last = signalled ? seen : { snap: daemon.gateway.snapshot(), kpis: daemon.gateway.kpis() };
  out.write('\n' + renderStatusText(last.snap, last.kpis, { width: out.columns ?? 100, timeZone: config.site.timeZone }) + renderSms(last.snap, false, config.site.timeZone) + '\n');
  await daemon.stop();
  await built.close();
  await fakeModems?.close();
  await demoSpan?.close();
  dbLock?.release();
  clock.dispose();
  out.write(`\ndemo stopped after ${Math.round((clock.now() - startVirtual) / 60_000)} virtual minutes; database and queue_log kept in ${work}\n`);
  return 0;
}

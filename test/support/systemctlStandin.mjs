#!/usr/bin/env node
// A stand-in for `systemctl`, for tests: it manages one unit, `ccgate`, the way
// ccgate.service asks systemd to (systemd/ccgate.service), with real processes.
//
//   CCGATE_STANDIN_DIR   its state: state.json (ActiveState, SubState, NRestarts,
//                        MainPID, the supervisor's pid) and journal.log (every
//                        process's output)
//   CCGATE_STANDIN_ROOT  the unit's root: the daemon is
//                        node --max-semi-space-size=1 ROOT/opt/ccgate/current/bin/ccgate.mjs
//                          run --config ROOT/etc/ccgate/ccgate.yaml
//   CCGATE_STANDIN_NO_PRE=1  skip ExecStartPre (`ccgate update boot-attempt --root ROOT`,
//                        run from the release being started, before every start)
//
// Verbs: restart|start|stop|reset-failed|is-active ccgate, show -p A,B [--value] ccgate.
// `restart` stops the running daemon (SIGTERM; SIGKILL after STOP_TIMEOUT_MS), then
// starts a detached supervisor that runs the daemon and restarts it when it exits
// (Restart=on-failure, counting NRestarts) up to the start limit (StartLimitBurst=5
// in StartLimitIntervalSec=10min, then ActiveState=failed). It returns once the daemon
// is ready, or fails (exit 1) when the first start exits before it or after
// START_TIMEOUT_MS, as `systemctl restart` of a Type=notify unit does. Readiness here is
// the daemon's API socket (api.socketPath of the config) answering GET /v1/status;
// real systemd waits for READY=1 on $NOTIFY_SOCKET instead (firmware/runtime/, docs/systemd.md).
// Releases run their own compiled program: CCGATE_FROM_SOURCE is removed from their environment.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const SELF = fileURLToPath(import.meta.url);
const START_LIMIT_BURST = 5;
const START_LIMIT_INTERVAL_MS = 10 * 60_000;
const RESTART_SEC_MS = Number(process.env.CCGATE_STANDIN_RESTART_MS ?? 200);
const START_TIMEOUT_MS = Number(process.env.CCGATE_STANDIN_START_TIMEOUT_MS ?? 30_000);
const STOP_TIMEOUT_MS = 15_000;

const DIR = process.env.CCGATE_STANDIN_DIR;
const ROOT = process.env.CCGATE_STANDIN_ROOT;
if (!DIR || !ROOT) {
  process.stderr.write('systemctlStandin: CCGATE_STANDIN_DIR and CCGATE_STANDIN_ROOT must be set\n');
  process.exit(2);
}
mkdirSync(DIR, { recursive: true });
const STATE = join(DIR, 'state.json');
const JOURNAL = join(DIR, 'journal.log');

const INITIAL = { ActiveState: 'inactive', SubState: 'dead', NRestarts: 0, MainPID: 0, supervisorPid: 0, generation: 0, startFailed: false, starts: [] };

function readState() {
  try {
    return { ...INITIAL, ...JSON.parse(readFileSync(STATE, 'utf8')) };
  } catch {
    return { ...INITIAL };
  }
}

function writeState(patch) {
  const next = { ...readState(), ...patch };
  const tmp = `${STATE}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(next));
  renameSync(tmp, STATE);
  return next;
}

function journal(line) {
  appendFileSync(JOURNAL, `[standin ${new Date().toISOString()}] ${line}\n`);
}

function alive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitDead(pid, ms) {
  const end = Date.now() + ms;
  while (alive(pid) && Date.now() < end) await sleep(25);
  return !alive(pid);
}

/** The daemon's API socket from the config (relative paths from ROOT, the daemon's working directory). */
function socketPath() {
  try {
    const doc = parse(readFileSync(join(ROOT, 'etc/ccgate/ccgate.yaml'), 'utf8'));
    const p = doc?.api?.socketPath ?? './var/ccgate.sock';
    return p === null ? null : isAbsolute(p) ? p : join(ROOT, p);
  } catch {
    return null;
  }
}

function answers(sock) {
  return new Promise((resolve) => {
    if (!sock || !existsSync(sock)) return resolve(false);
    const req = request({ socketPath: sock, path: '/v1/status', method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

function childEnv() {
  const env = { ...process.env };
  delete env.CCGATE_FROM_SOURCE;
  return env;
}

/** Stop the supervisor and its daemon (SIGTERM, then SIGKILL after STOP_TIMEOUT_MS). */
async function stopAll() {
  const s = readState();
  if (alive(s.supervisorPid)) {
    process.kill(s.supervisorPid, 'SIGTERM');
    if (!(await waitDead(s.supervisorPid, STOP_TIMEOUT_MS + 2_000))) process.kill(s.supervisorPid, 'SIGKILL');
  }
  // A daemon whose supervisor was killed (a test's kill -9) is still stopped.
  if (alive(s.MainPID)) {
    process.kill(s.MainPID, 'SIGTERM');
    if (!(await waitDead(s.MainPID, STOP_TIMEOUT_MS))) process.kill(s.MainPID, 'SIGKILL');
    await waitDead(s.MainPID, 2_000);
  }
  const keepFailed = s.ActiveState === 'failed';
  writeState({ ActiveState: keepFailed ? 'failed' : 'inactive', SubState: keepFailed ? 'failed' : 'dead', MainPID: 0, supervisorPid: 0 });
}

async function start(restart) {
  const s = readState();
  if (!restart && s.ActiveState === 'active' && alive(s.supervisorPid)) return 0;
  await stopAll();
  const generation = s.generation + 1;
  // A manual (re)start clears the start-limit history, as `systemctl restart` after reset-failed does.
  writeState({ ActiveState: 'activating', SubState: 'start', generation, startFailed: false, starts: [], NRestarts: 0 });
  const log = openSync(JOURNAL, 'a');
  const sup = spawn(process.execPath, [SELF, '__supervise', String(generation)], { detached: true, stdio: ['ignore', log, log], env: process.env });
  closeSync(log);
  sup.unref();
  writeState({ supervisorPid: sup.pid });
  const end = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < end) {
    const now = readState();
    if (now.generation === generation && now.ActiveState === 'active') return 0;
    if (now.generation === generation && (now.startFailed || now.ActiveState === 'failed')) {
      process.stderr.write('Job for ccgate.service failed because the control process exited with error code.\n');
      return 1;
    }
    await sleep(50);
  }
  process.stderr.write('Job for ccgate.service failed because a timeout was exceeded.\n');
  return 1;
}

/** The detached supervisor: Restart=on-failure with the start limit. */
async function supervise(generation) {
  let stopping = false;
  let child = null;
  process.on('SIGTERM', () => {
    stopping = true;
    if (child && alive(child.pid)) {
      child.kill('SIGTERM');
      setTimeout(() => child && alive(child.pid) && child.kill('SIGKILL'), STOP_TIMEOUT_MS).unref();
    } else {
      writeState({ ActiveState: 'inactive', SubState: 'dead', MainPID: 0, supervisorPid: 0 });
      process.exit(0);
    }
  });
  const bin = join(ROOT, 'opt/ccgate/current/bin/ccgate.mjs');
  let first = true;
  for (;;) {
    const starts = [...readState().starts, Date.now()].filter((t) => t > Date.now() - START_LIMIT_INTERVAL_MS);
    writeState({ ActiveState: 'activating', SubState: 'start', MainPID: 0, starts });
    let ok = true;
    if (process.env.CCGATE_STANDIN_NO_PRE !== '1') {
      const pre = spawnSync(process.execPath, [bin, 'update', 'boot-attempt', '--root', ROOT], { env: childEnv(), encoding: 'utf8' });
      journal(`ExecStartPre exit ${pre.status}: ${(pre.stderr + pre.stdout).trim()}`);
      ok = pre.status === 0;
    }
    let ready = false;
    if (ok && !stopping) {
      // The link is read now, after ExecStartPre may have switched it, as systemd resolves ExecStart's path at exec time.
      child = spawn(process.execPath, ['--max-semi-space-size=1', bin, 'run', '--config', join(ROOT, 'etc/ccgate/ccgate.yaml')], { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
      writeState({ MainPID: child.pid });
      journal(`started ${bin} (pid ${child.pid})`);
      const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      let result = null;
      void exited.then((r) => (result = r));
      const sock = socketPath();
      const readyBy = Date.now() + START_TIMEOUT_MS;
      while (result === null && !ready && !stopping && Date.now() < readyBy) {
        if (await answers(sock)) {
          ready = true;
          writeState({ ActiveState: 'active', SubState: 'running' });
          journal(`ready (pid ${child.pid})`);
        } else await sleep(50);
      }
      if (!ready && result === null && !stopping) {
        journal('start timed out: killing the daemon');
        child.kill('SIGKILL');
      }
      const end = await exited;
      journal(`daemon exited (code ${end.code}, signal ${end.signal})`);
      if (stopping || (end.code === 0 && ready)) {
        writeState({ ActiveState: 'inactive', SubState: 'dead', MainPID: 0, supervisorPid: 0 });
        process.exit(0);
      }
    }
    if (stopping) {
      writeState({ ActiveState: 'inactive', SubState: 'dead', MainPID: 0, supervisorPid: 0 });
      process.exit(0);
    }
    // Failed: the first start of a restart job failing fails the job (the caller's restart exits 1).
    if (first && !ready) writeState({ startFailed: true });
    first = false;
    if (readState().starts.length >= START_LIMIT_BURST) {
      journal('start limit hit: failed');
      writeState({ ActiveState: 'failed', SubState: 'failed', MainPID: 0, supervisorPid: 0 });
      process.exit(0);
    }
    writeState({ ActiveState: 'activating', SubState: 'auto-restart', MainPID: 0, NRestarts: readState().NRestarts + 1 });
    await sleep(RESTART_SEC_MS);
    if (readState().generation !== generation) process.exit(0);
  }
}

function show(args) {
  const i = args.indexOf('-p');
  const props = (i >= 0 ? (args[i + 1] ?? '') : 'ActiveState,SubState,NRestarts,MainPID').split(',');
  const valueOnly = args.includes('--value');
  const s = readState();
  // A supervisor killed from outside: nothing manages the unit any more.
  if ((s.ActiveState === 'active' || s.ActiveState === 'activating') && !alive(s.supervisorPid)) {
    Object.assign(s, writeState({ ActiveState: alive(s.MainPID) ? s.ActiveState : 'failed', SubState: alive(s.MainPID) ? s.SubState : 'failed' }));
  }
  for (const p of props) process.stdout.write(valueOnly ? `${s[p] ?? ''}\n` : `${p}=${s[p] ?? ''}\n`);
  return 0;
}

const [verb, ...rest] = process.argv.slice(2);
let code;
switch (verb) {
  case '__supervise':
    await supervise(Number(rest[0]));
    break;
  case 'restart':
    code = await start(true);
    break;
  case 'start':
    code = await start(false);
    break;
  case 'stop':
    await stopAll();
    code = 0;
    break;
  case 'reset-failed': {
    const s = readState();
    if (s.ActiveState === 'failed') writeState({ ActiveState: 'inactive', SubState: 'dead', starts: [] });
    code = 0;
    break;
  }
  case 'is-active': {
    const s = readState();
    process.stdout.write(`${s.ActiveState}\n`);
    code = s.ActiveState === 'active' ? 0 : 3;
    break;
  }
  case 'show':
    code = show(rest);
    break;
  default:
    process.stderr.write(`systemctlStandin: unknown verb ${JSON.stringify(verb)}\n`);
    code = 1;
}
if (code !== undefined) process.exit(code);

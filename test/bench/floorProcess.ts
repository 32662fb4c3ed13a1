import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEPLOY_NODE_FLAGS } from '../../firmware/runtime/nodeFlags.ts';
import { ccgateBin } from './daemonProcess.ts';
import { round } from './rss.ts';

/**
 * What the daemon's design needs before any of ccgate's code: node with the
 * unit's flags, better-sqlite3 with a database opened in WAL mode and written,
 * Intl formatting a Persian and a Chinese date in their zones (the core's
 * local time, the boards' dates), and an HTTP server listening (the local API,
 * the web board). Its VmRSS after `idleSec` is the idle RSS floor of this
 * design, measured in the same run as the daemon's.
 */
const SCRIPT = `
import Database from 'better-sqlite3';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
const db = new Database(process.env.FLOOR_DB);
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE IF NOT EXISTS t (x TEXT)');
db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(200));
const now = Date.now();
new Intl.DateTimeFormat('fa-IR', { timeZone: 'Asia/Tehran', dateStyle: 'full', timeStyle: 'long' }).format(now);
new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'full', timeStyle: 'long' }).format(now);
const server = createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', () => {
  setTimeout(() => {
    process.stdout.write(readFileSync('/proc/self/status', 'utf8'));
    server.close();
    db.close();
  }, Number(process.env.FLOOR_IDLE_MS));
});
`;

export async function floorProcessRss(idleSec: number): Promise<{ vmRssMB: number; vmHwmMB: number; what: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ccgate-bench-floor-'));
  try {
    // From the package root, so that the script finds better-sqlite3 in node_modules as the daemon does.
    const child = spawn(process.execPath, [...DEPLOY_NODE_FLAGS, '--input-type=module', '-e', SCRIPT], {
      cwd: dirname(dirname(ccgateBin())),
      env: { ...process.env, FLOOR_DB: join(dir, 'floor.db'), FLOOR_IDLE_MS: String(idleSec * 1000) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const code = await new Promise<number | null>((r, j) => child.once('error', j).once('exit', (c) => r(c)));
    const kB = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(out)?.[1] ?? NaN);
    if (code !== 0 || !Number.isFinite(kB('VmRSS'))) throw new Error(`the floor process failed (exit ${code})`);
    return {
      vmRssMB: round(kB('VmRSS') / 1024, 1),
      vmHwmMB: round(kB('VmHWM') / 1024, 1),
      what: 'node with the deployment flags + better-sqlite3 (a WAL database written) + Intl (fa and zh dates in their zones) + an HTTP server listening; none of ccgate',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../gateway/core/Random.ts';
import type { StoredEvent } from '../../gateway/events.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { expectConsistentLifecycles } from '../support/invariants.ts';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Monday 10:00 Tehran: a busy hour. */
const START = Date.UTC(2026, 0, 5, 6, 30);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Run the busy child and SIGKILL it after `killAfterMs` of real time; returns its ACK lines. */
function runAndKill(dir: string, seed: number, killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'busy', dir, String(seed), String(START)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let started = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // Start the kill countdown once callbacks are being promised (tsx startup varies).
      if (!started && out.includes('ACK callback')) {
        started = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`busy child exited ${code}: ${err}`));
      // Only complete lines were written before the kill.
      else resolve(out.split('\n').slice(0, -1));
    });
  });
}

function restartChild(dir: string, seed: number): { summary: Summary } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, 'restart', dir, String(seed), '0'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('SUMMARY '));
  if (!line) throw new Error(`restart failed (${r.status}): ${r.stderr}`);
  return { summary: JSON.parse(line.slice(8)) as Summary };
}

interface Summary {
  errors: string[];
  callbacks: Array<{ id: string; queue: string; number: string; status: string; attempts: number; joinedAt: number; priority: number }>;
  targets: Array<{ id: string; status: string; attempts: number; result: string | null }>;
  agents: Array<{ id: string; state: string; pauseReason: string | null }>;
}

function allEvents(dir: string): StoredEvent[] {
  const store = new SqliteStore(join(dir, 'ccgate.db'));
  const evs = store.readEvents(0, 10_000_000);
  store.close();
  return evs;
}

describe('kill -9 at random points of a busy day, then restart', () => {
  const rnd = new SeededRandom(20261122);
  const points = [0, 1, 2, 3].map(() => Math.floor(rnd.next() * 3000));

  it.each(points.map((ms, i) => ({ ms, seed: i + 1 })))('killed after $ms ms (seed $seed): nothing acknowledged is lost', async ({ ms, seed }) => {
    const dir = mkdtempSync(join(tmpdir(), 'ccgate-kill-'));
    dirs.push(dir);
    const acks = await runAndKill(dir, seed, ms);
    const acked = acks.filter((l) => l.startsWith('ACK callback ')).map((l) => l.split(' '));
    expect(acks.some((l) => l.startsWith('ACK campaign'))).toBe(true);
    // Long enough into the busy hour that callbacks were promised and were waiting at the kill.
    expect(acked.length).toBeGreaterThan(0);

    const before = allEvents(dir);
    console.log(`kill after ${ms} ms: ${before.length} events committed, ${acked.length} callbacks acknowledged, virtual ${((before.at(-1)!.at - START) / 60_000).toFixed(0)} min`);
    const { summary } = restartChild(dir, seed);
    expect(summary.errors).toEqual([]);

    // Every callback promised before the kill is still there after the restart, and was served or finished.
    const byId = new Map(summary.callbacks.map((c) => [c.id, c]));
    for (const [, , id, queue, number] of acked) {
      const cb = byId.get(id!);
      expect(cb, `callback ${id} acknowledged before the kill`).toBeDefined();
      expect(cb).toMatchObject({ queue, number });
      expect(['completed', 'failed', 'expired']).toContain(cb!.status);
    }
    // Kept places: callbacks pending at the crash were dialled in their original order.
    const after = allEvents(dir);
    const pendingAtCrash = new Set(after.filter((e) => e.seq <= before.length && e.type === 'callbackRequested').map((e) => (e as { callbackId: string }).callbackId));
    // Those already tried before the kill wait out their retry gap; the rest must go in place order.
    for (const e of before) if (e.type === 'callbackFinished' || e.type === 'callbackDialled') pendingAtCrash.delete(e.callbackId);
    const firstDial = new Map<string, number>();
    for (const e of after) if (e.seq > before.length && e.type === 'callbackDialled' && !firstDial.has(e.callbackId)) firstDial.set(e.callbackId, e.seq);
    const served = [...pendingAtCrash].filter((id) => firstDial.has(id));
    const byQueue = new Map<string, string[]>();
    for (const id of served.sort((a, b) => firstDial.get(a)! - firstDial.get(b)!)) {
      const q = byId.get(id)!.queue;
      byQueue.set(q, [...(byQueue.get(q) ?? []), id]);
    }
    for (const ids of byQueue.values()) {
      const keys = ids.map((id) => byId.get(id)!);
      const sorted = [...keys].sort((a, b) => b.priority - a.priority || a.joinedAt - b.joinedAt);
      expect(keys.map((k) => k.id)).toEqual(sorted.map((k) => k.id));
    }

    // The campaign continued where it stopped: every number finished, none dialled beyond its attempts.
    expect(summary.targets.length).toBe(60);
    for (const t of summary.targets) expect(t.status).toBe('done');
    const dials = new Map<string, number>();
    for (const e of after) if (e.type === 'campaignDialled') dials.set(e.targetId, (dials.get(e.targetId) ?? 0) + 1);
    for (const n of dials.values()) expect(n).toBeLessThanOrEqual(3);

    // Agents come back in their last committed state.
    const lastPause = new Map<string, string | null>();
    for (const e of before) {
      if (e.type === 'agentPaused') lastPause.set(e.agent, e.reason);
      if (e.type === 'agentUnpaused') lastPause.set(e.agent, null);
    }
    for (const a of summary.agents) {
      expect(a.state).not.toBe('loggedOut');
      if (lastPause.get(a.id)) {
        // Paused at the crash: still paused, or the demo never unpaused it (no traffic after restart).
        expect(a).toMatchObject({ state: 'paused', pauseReason: lastPause.get(a.id) });
      }
    }

    // The event log and the queue_log close every queue entry exactly once across the crash.
    expectConsistentLifecycles(after);
    const lines = readFileSync(join(dir, 'queue_log'), 'utf8').trim().split('\n');
    expect(new Set(lines).size).toBe(lines.length);
    const open = new Map<string, number>();
    for (const l of lines) {
      const [, callid, , , verb] = l.split('|');
      if (verb === 'ENTERQUEUE') open.set(callid!, (open.get(callid!) ?? 0) + 1);
      if (verb && ['COMPLETECALLER', 'COMPLETEAGENT', 'ABANDON', 'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY'].includes(verb)) open.set(callid!, (open.get(callid!) ?? 0) - 1);
    }
    expect([...open.entries()].filter(([, n]) => n !== 0)).toEqual([]);
  });
});

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { demoPaths, lastAliveIn } from './demoData.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccgate-demodata-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function storeWith(opts: { eventAt?: number; heartbeatAt?: number }): string {
  const path = join(dir, 'ccgate.db');
  const s = new SqliteStore(path);
  if (opts.eventAt !== undefined) s.appendEvent({ type: 'agentLoggedIn', agent: 'a1', queues: ['q'], at: opts.eventAt });
  if (opts.heartbeatAt !== undefined) s.setMeta('heartbeatAt', String(opts.heartbeatAt));
  s.commit();
  s.close();
  return path;
}

describe('demo data folder', () => {
  it('--data DIR keeps everything in DIR (created) with its own socket; without it a fresh temporary folder and the default socket', () => {
    const data = join(dir, 'a', 'b');
    const kept = demoPaths(data, 'var/ccgate.sock');
    expect(existsSync(data)).toBe(true);
    expect(kept).toEqual({
      dir: data,
      storePath: join(data, 'ccgate.db'),
      queueLogPath: join(data, 'queue_log'),
      socketPath: join(data, 'ccgate.sock'),
      logFile: join(data, 'ccgate.log'),
      kept: true,
    });
    const fresh = demoPaths(undefined, '/run/x.sock');
    try {
      expect(fresh.kept).toBe(false);
      expect(fresh.socketPath).toBe('/run/x.sock');
      expect(fresh.storePath.startsWith(fresh.dir)).toBe(true);
    } finally {
      rmSync(fresh.dir, { recursive: true, force: true });
    }
  });

  it('resumes from the later of the heartbeat and the newest event; nothing for a new database', () => {
    expect(lastAliveIn(join(dir, 'none.db'))).toBeNull();
    expect(existsSync(join(dir, 'none.db'))).toBe(false);
    expect(lastAliveIn(storeWith({}))).toBeNull();
    rmSync(join(dir, 'ccgate.db'));
    expect(lastAliveIn(storeWith({ eventAt: 5_000 }))).toBe(5_000);
    expect(lastAliveIn(storeWith({ heartbeatAt: 9_000 }))).toBe(9_000);
    expect(lastAliveIn(storeWith({ eventAt: 12_000 }))).toBe(12_000);
  });
});

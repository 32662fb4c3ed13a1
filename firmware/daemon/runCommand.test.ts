import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DaemonParts } from './Daemon.ts';
import { lockPathFor } from './dbLock.ts';
import { runCommand, type RunDeps } from './runCommand.ts';

let dir: string;
let configPath: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccgate-run-'));
  configPath = join(dir, 'ccgate.yaml');
  dbPath = join(dir, 'data', 'ccgate.db');
  writeFileSync(
    configPath,
    [`store: {path: '${dbPath}'}`, 'api: {socketPath: null}', 'queueLog: {path: null}', 'trunks:', '  - {id: sim1, type: sim, channels: 1}', 'log: {level: error}', ''].join('\n'),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A daemon whose start finishes when the test says, recording its stops. */
function rig(startFails = false) {
  const signals = new EventEmitter();
  const log: string[] = [];
  let finishStart!: () => void;
  const started = new Promise<void>((resolve) => (finishStart = resolve));
  let startCalled!: () => void;
  const starting = new Promise<void>((resolve) => (startCalled = resolve));
  const deps: RunDeps = {
    signals,
    startDaemon: async (_parts: DaemonParts) => {
      log.push('start');
      startCalled();
      await started;
      if (startFails) throw new Error('store would not open');
      log.push('started');
      return {
        stop: async () => {
          log.push('stop');
        },
      };
    },
  };
  return { signals, log, deps, starting, finishStart };
}

const turns = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('ccgate run and its signals', () => {
  it('a SIGTERM while the daemon is starting is kept: it stops cleanly once started', async () => {
    const r = rig();
    const done = runCommand({ configPath }, r.deps);
    await r.starting;
    r.signals.emit('SIGTERM');
    await turns();
    expect(r.log).toEqual(['start']);
    r.finishStart();
    await expect(done).resolves.toBe(0);
    expect(r.log).toEqual(['start', 'started', 'stop']);
    // Everything let go: the database lock, and the signal handlers.
    expect(existsSync(lockPathFor(dbPath))).toBe(false);
    expect(r.signals.listenerCount('SIGTERM') + r.signals.listenerCount('SIGINT')).toBe(0);
  });

  it('a started daemon runs until SIGINT or SIGTERM, then stops once', async () => {
    const r = rig();
    const done = runCommand({ configPath }, r.deps);
    await r.starting;
    r.finishStart();
    await turns();
    expect(r.log).toEqual(['start', 'started']);
    expect(existsSync(lockPathFor(dbPath))).toBe(true);
    r.signals.emit('SIGINT');
    await expect(done).resolves.toBe(0);
    expect(r.log).toEqual(['start', 'started', 'stop']);
    expect(existsSync(lockPathFor(dbPath))).toBe(false);
  });

  it('a start that fails releases the lock and the handlers and reports the error', async () => {
    const r = rig(true);
    const done = runCommand({ configPath }, r.deps);
    await r.starting;
    r.signals.emit('SIGTERM');
    r.finishStart();
    await expect(done).rejects.toThrow('store would not open');
    expect(r.log).toEqual(['start']);
    expect(existsSync(lockPathFor(dbPath))).toBe(false);
    expect(r.signals.listenerCount('SIGTERM') + r.signals.listenerCount('SIGINT')).toBe(0);
  });
});

/**
 * Issue #8, defect 9, end to end: `ccgate run` stopped with SIGTERM (as
 * systemd does on every restart and update) while callers wait in a queue.
 * The daemon drains: it takes no new call, gives the calls up to
 * `site.drainMs` to finish, ends the rest with their exit lines, and only
 * then exits. So the queue_log closes every ENTERQUEUE as soon as the process
 * is gone, before any restart. Calls come in on two fake SIM800 modems on
 * pseudo-terminals (the simulated trunks of `ccgate run` carry no traffic).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeModemOnPty, type FakeModemOnPty } from '../../drivers/modem/sim/startFakeModemOnPty.ts';
import { SystemClock } from '../../gateway/core/Clock.ts';
import type { GatewaySnapshot } from '../../gateway/GatewayApi.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { DaemonProcess, describeResult, killAll, runCli, useScratchDir, until } from './helpers.ts';

const scratch = useScratchDir();
afterAll(() => killAll());

const DRAIN_MS = 2_000;
const EXITS = ['COMPLETECALLER', 'COMPLETEAGENT', 'ABANDON', 'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY', 'TRANSFER'];

async function snapshot(socketPath: string): Promise<GatewaySnapshot> {
  const r = await runCli(['status', '--json', '--socket', socketPath]);
  expect(r.code, describeResult(r)).toBe(0);
  return (JSON.parse(r.stdout) as { snapshot: GatewaySnapshot }).snapshot;
}


/** queue_log lines by verb, and the ENTERQUEUEs without exactly one exit line. */
function readQueueLog(path: string): { verbs: string[]; unbalanced: string[] } {
  const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
  const open = new Map<string, number>();
  for (const l of lines) {
    const [, callid, , , verb] = l.split('|');
    if (verb === 'ENTERQUEUE') open.set(callid!, (open.get(callid!) ?? 0) + 1);
    if (verb && EXITS.includes(verb)) open.set(callid!, (open.get(callid!) ?? 0) - 1);
  }
  return { verbs: lines.map((l) => l.split('|')[4]!), unbalanced: [...open.entries()].filter(([, n]) => n !== 0).map(([id, n]) => `${id}: ${n}`) };
}

describe('ccgate run: SIGTERM drains the calls in progress', () => {
  it('exits 0 within drainMs plus a margin, answers no new call meanwhile, and leaves an exit line for every ENTERQUEUE', async () => {
    const clock = new SystemClock();
    const modems: FakeModemOnPty[] = [];
    try {
      const dir = scratch();
      for (const name of ['gsm1', 'gsm2', 'gsm3']) modems.push(await startFakeModemOnPty({ family: 'sim800', clock, dir, name }));
      const [leaves, stays, late] = modems as [FakeModemOnPty, FakeModemOnPty, FakeModemOnPty];
      const socketPath = join(dir, 'ccgate.sock');
      const queueLogPath = join(dir, 'queue_log');
      const configPath = join(dir, 'ccgate.yaml');
      writeFileSync(
        configPath,
        [
          `site: {name: Drain branch, timeZone: UTC, drainMs: ${DRAIN_MS}}`,
          `store: {path: '${join(dir, 'ccgate.db')}'}`,
          `queueLog: {path: '${queueLogPath}'}`,
          `api: {socketPath: '${socketPath}'}`,
          'queues:',
          '  general: {announce: {everyMs: 0}, callback: {enabled: false}}',
          "agents: [{id: a1, endpoint: '+15550000001', queues: [general]}]",
          'trunks:',
          ...modems.map((m, i) => `  - {id: gsm${i + 1}, type: modem, port: '${m.hostPath}', audio: {kind: module}}`),
          '',
        ].join('\n'),
      );
      const daemon = new DaemonProcess(configPath, dir);
      await daemon.waitReady(socketPath);
      await until('the modems in service', () => snapshot(socketPath), (s) => s.trunks.length === 3 && s.trunks.every((t) => t.up));
      // The only agent is logged in but on a break: callers may join the queue and wait there.
      for (const args of [['agent', 'login', 'a1'], ['agent', 'pause', 'a1', '--reason', 'Meeting']]) {
        const r = await runCli([...args, '--socket', socketPath]);
        expect(r.code, describeResult(r)).toBe(0);
      }

      // Two callers, on gsm1 and gsm2, each choosing the queue in the menu.
      for (const [i, m] of [leaves, stays].entries()) {
        m.fake.ring({ number: `+98912123456${i}` });
        await m.fake.expectCommand(/^ATA$/, 10_000);
      }
      await until(
        'both callers waiting in the queue',
        async () => {
          for (const m of [leaves, stays]) m.fake.remoteDtmf('1');
          return snapshot(socketPath);
        },
        (s) => s.queues.find((q) => q.id === 'general')!.waiting.length === 2,
      );
      await until('the ENTERQUEUE lines', async () => readQueueLog(queueLogPath), (q) => q.verbs.filter((v) => v === 'ENTERQUEUE').length === 2);
      expect(readQueueLog(queueLogPath).unbalanced).toHaveLength(2);

      // SIGTERM, as systemd sends it.
      const sentAt = Date.now();
      daemon.child.kill('SIGTERM');
      await until('the drain to start', async () => daemon.stdout, (out) => out.includes('"draining: no new calls') || !daemon.running, 5_000);
      // During the drain one caller hangs up by themselves and a new one rings on gsm3.
      leaves.fake.remoteHangup();
      late.fake.ring({ number: '+989121234569' });
      let timer: NodeJS.Timeout | undefined;
      const exit = await Promise.race([daemon.exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), DRAIN_MS + 8_000)))]);
      clearTimeout(timer);
      const ms = Date.now() - sentAt;
      const report = `${JSON.stringify(exit)} after ${ms} ms\n--- stdout ---\n${daemon.stdout}\n--- stderr ---\n${daemon.stderr}`;
      expect(exit, report).toEqual({ code: 0, signal: null });
      // Right after the exit, before any restart: every caller who entered the queue has left it.
      const log = readQueueLog(queueLogPath);
      expect(log.unbalanced, report).toEqual([]);
      // It waited for the drain time (one caller still waiting), and not much longer.
      expect(ms, report).toBeGreaterThanOrEqual(DRAIN_MS - 100);
      expect(ms, report).toBeLessThan(DRAIN_MS + 8_000);
      expect(log.verbs.filter((v) => v === 'ENTERQUEUE')).toHaveLength(2);
      expect(log.verbs.filter((v) => v === 'ABANDON')).toHaveLength(2);
      const msgs = daemon.logLines();
      expect(msgs.find((l) => l['msg'] === 'calls drained'), report).toMatchObject({ finished: 1, ended: 1 });
      expect(msgs.map((l) => l['msg'])).toEqual(expect.arrayContaining(['stopping', 'calls drained', 'daemon stopped']));
      // The caller still waiting at the deadline was hung up; the late one was never answered.
      stays.fake.assertReceived(/^(ATH|AT\+CHUP)/);
      expect(() => late.fake.assertReceived(/^ATA$/)).toThrow();

      // The event log agrees: offered during the drain, ended unanswered; the one still waiting left with 'shutdown'.
      const store = new SqliteStore(join(dir, 'ccgate.db'));
      const events = store.readEvents(0, 100_000);
      store.close();
      const offered = events.filter((e) => e.type === 'callOffered');
      expect(offered).toHaveLength(3);
      const lateId = offered.find((e) => e.callerId.kind === 'number' && e.callerId.number === '+989121234569')!.callId;
      const stayId = offered.find((e) => e.callerId.kind === 'number' && e.callerId.number === '+989121234561')!.callId;
      const draining = events.find((e) => e.type === 'gatewayDraining')!;
      expect(draining).toMatchObject({ inProgress: 2, drainMs: DRAIN_MS });
      expect(offered.find((e) => e.callId === lateId)!.seq).toBeGreaterThan(draining.seq);
      expect(events.filter((e) => e.type === 'callAnswered' && e.callId === lateId)).toEqual([]);
      expect(events.filter((e) => e.type === 'callEnded' && e.callId === lateId)).toMatchObject([{ cause: 'system' }]);
      expect(events.filter((e) => e.type === 'queueExited' && e.callId === stayId)).toMatchObject([{ reason: 'shutdown' }]);
      expect(events.filter((e) => e.type === 'gatewayStopped')).toMatchObject([{ finished: 1, ended: 1 }]);
    } finally {
      for (const m of modems) await m.close();
      clock.dispose();
    }
  }, 90_000);
});

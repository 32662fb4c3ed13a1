/**
 * `ccgate run` with modem trunks, as a technician would configure a branch:
 * one modem present (the fake SIM800 on a pseudo-terminal, served from this
 * test process), one configured but unplugged. The daemon starts anyway,
 * reports each modem's health through `ccgate status`, answers a call on the
 * live one and stops cleanly.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeModemOnPty } from '../../drivers/modem/sim/startFakeModemOnPty.ts';
import { SystemClock } from '../../gateway/core/Clock.ts';
import type { GatewaySnapshot } from '../../gateway/GatewayApi.ts';
import { DaemonProcess, describeResult, killAll, runCli, useScratchDir, until } from './helpers.ts';

const scratch = useScratchDir();
afterAll(() => killAll());

type Trunk = GatewaySnapshot['trunks'][number];

async function trunks(socketPath: string): Promise<Trunk[]> {
  const r = await runCli(['status', '--json', '--socket', socketPath]);
  expect(r.code, describeResult(r)).toBe(0);
  return (JSON.parse(r.stdout) as { snapshot: GatewaySnapshot }).snapshot.trunks;
}


describe('ccgate run with modem trunks', () => {
  it('starts with one modem unplugged, shows both in status, answers a call on the live one, stops cleanly', async () => {
    const clock = new SystemClock();
    const fake = await startFakeModemOnPty({ family: 'sim800', clock });
    try {
      const dir = scratch();
      const socketPath = join(dir, 'ccgate.sock');
      const configPath = join(dir, 'ccgate.yaml');
      writeFileSync(
        configPath,
        [
          // The call is still up at SIGTERM: the drain ends it after this long.
          'site: {name: Modem branch, timeZone: UTC, drainMs: 1s}',
          `store: {path: '${join(dir, 'ccgate.db')}'}`,
          `queueLog: {path: '${join(dir, 'queue_log')}'}`,
          `api: {socketPath: '${socketPath}'}`,
          "agents: [{id: a1, endpoint: '+15550000001', queues: [general]}]",
          'trunks:',
          `  - {id: gsm1, type: modem, port: '${fake.hostPath}', audio: {kind: module}}`,
          `  - {id: gsm2, type: modem, port: '${join(dir, 'no-such-tty')}'}`,
          '',
        ].join('\n'),
      );
      const daemon = new DaemonProcess(configPath, dir);
      await daemon.waitReady(socketPath);
      const ts = await until('gsm1 in service', () => trunks(socketPath), (t) => t.find((x) => x.id === 'gsm1')?.up === true);
      const gsm1 = ts.find((t) => t.id === 'gsm1')!;
      const gsm2 = ts.find((t) => t.id === 'gsm2')!;
      expect(gsm1.detail).toMatch(/in service/);
      expect(gsm1.stats).toMatchObject({ state: 'ok', family: 'sim800', imei: expect.any(String) });
      expect(gsm2.up).toBe(false);

      fake.fake.ring({ number: '+989121234567' });
      await fake.fake.expectCommand(/^ATA$/, 10_000);
      await fake.fake.expectCommand(/^AT\+CREC=4,/, 10_000);
      const busy = await until('the call on gsm1', () => trunks(socketPath), (t) => t.find((x) => x.id === 'gsm1')?.busyChannels === 1);
      expect(busy.find((t) => t.id === 'gsm1')!.busyChannels).toBe(1);

      const stop = await daemon.stop();
      expect(stop.code).toBe(0);
      expect(stop.killed).toBe(false);
      // The drain ended the call on the modem too, before the port was closed.
      await fake.fake.expectCommand(/^AT\+CHUP$|^ATH$/, 1_000);
      // The only errors are about the unplugged modem, naming its port.
      const errors = daemon.logLines().filter((l) => l['level'] === 'error');
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e).toMatchObject({ trunk: 'gsm2', code: 'SERIAL_OPEN_FAILED', msg: expect.stringMatching(/cannot open the modem port/) });
      expect(String(errors[0]!['err'])).toContain('no-such-tty: No such file or directory');
    } finally {
      await fake.close();
      clock.dispose();
    }
  }, 60_000);
});

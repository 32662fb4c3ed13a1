/**
 * A real nats-server with its MQTT listener, for the protocol fallback test:
 * nats-server speaks MQTT 3.1.1 only (it answers an MQTT 5 CONNECT with
 * return code 1), which is what `protocol: 'auto'` must cope with. Its MQTT
 * listener needs JetStream, hence a server name and a store folder. One
 * server, not a cluster: a cluster adds nothing to a protocol test.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, freePort } from './ports.ts';

export interface TestNats {
  /** mqtt://127.0.0.1:port of the MQTT listener. */
  mqttUrl: string;
  mqttPort: number;
  log(): string;
  dispose(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

/** The nats-server binary, or null when it is not installed (the test then says so and skips). */
export function natsServerPath(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}


export async function startNatsMqtt(): Promise<TestNats> {
  const bin = natsServerPath();
  if (!bin) throw new Error('nats-server is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'ccgate-nats-'));
  const [port, mqttPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'nats.conf');
  writeFileSync(conf, [
    'server_name: ccgate_test',
    `listen: 127.0.0.1:${port}`,
    `jetstream { store_dir: "${join(dir, 'js')}" }`,
    `mqtt { listen: "127.0.0.1:${mqttPort}" }`,
  ].join('\n') + '\n');
  const child = spawn(bin, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  while (!(await canConnect(mqttPort))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`nats-server's MQTT listener did not come up on ${mqttPort}:\n${log.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { mqttUrl: `mqtt://127.0.0.1:${mqttPort}`, mqttPort, log: () => log, dispose: stop };
}

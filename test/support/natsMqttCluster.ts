/**
 * A three-node nats-server cluster on loopback, JetStream on and an MQTT
 * listener on every node, for the fleet test: units spread over the nodes,
 * one node is SIGKILLed mid-run. nats-server's MQTT listener speaks 3.1.1
 * only, stores QoS 1 messages and sessions in JetStream streams (replicated
 * over the cluster, so a node's loss keeps a quorum of two), and does not
 * publish the will of a client whose node died. (natsCluster.ts starts one
 * server, enough for a protocol test.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, freePort } from './ports.ts';
import { natsServerPath } from './natsCluster.ts';

export interface NatsNode {
  name: string;
  /** mqtt://127.0.0.1:port */
  mqttUrl: string;
  /** nats://127.0.0.1:port (the NATS client port). */
  natsUrl: string;
  alive(): boolean;
  log(): string;
}

export interface NatsMqttCluster {
  nodes: NatsNode[];
  /** SIGKILL node `i` and wait for its exit (a crash: no will, no goodbye to its clients). */
  kill(i: number): Promise<void>;
  dispose(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});


async function ports(n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    const p = await freePort();
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/**
 * Start the cluster and wait until every node's MQTT listener accepts
 * connections and JetStream has a meta leader (the MQTT listener refuses
 * clients until its streams exist, which needs the leader).
 */
export async function startNatsMqttCluster(size = 3): Promise<NatsMqttCluster> {
  const bin = natsServerPath();
  if (!bin) throw new Error('nats-server is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'ccgate-natsc-'));
  const [client, route, mqtt] = [await ports(size), await ports(size), await ports(size)];
  const children: ChildProcess[] = [];
  const logs: string[] = [];
  for (let i = 0; i < size; i++) {
    const name = `n${i + 1}`;
    const store = join(dir, name);
    mkdirSync(store);
    const conf = join(dir, `${name}.conf`);
    const routes = route.filter((_, j) => j !== i).map((p) => `nats-route://127.0.0.1:${p}`);
    writeFileSync(conf, [
      `server_name: ${name}`,
      `listen: 127.0.0.1:${client[i]!}`,
      `jetstream { store_dir: "${store}" }`,
      `cluster { name: ccgate_fleet, listen: 127.0.0.1:${route[i]!}, routes: [${routes.join(', ')}] }`,
      // Three replicas of the MQTT streams: a node lost keeps a quorum of two (left to itself a node counts the peers it has seen, maybe 2).
      `mqtt { listen: "127.0.0.1:${mqtt[i]!}", stream_replicas: ${Math.min(3, size)} }`,
    ].join('\n') + '\n');
    const child = spawn(bin, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    logs.push('');
    child.stdout.on('data', (d: Buffer) => (logs[i] += d.toString()));
    child.stderr.on('data', (d: Buffer) => (logs[i] += d.toString()));
    children.push(child);
  }
  const kill = async (i: number): Promise<void> => {
    const c = children[i]!;
    if (c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  };
  const dispose = async (): Promise<void> => {
    for (let i = 0; i < size; i++) await kill(i);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (let i = 0; i < size; i++) {
    while (!(await canConnect(mqtt[i]!))) {
      if (children[i]!.exitCode !== null || Date.now() > deadline) {
        await dispose();
        throw new Error(`nats-server n${i + 1}'s MQTT listener did not come up on ${mqtt[i]!}:\n${logs[i]!.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  // The MQTT listener opens before JetStream has elected a meta leader; CONNECTs fail until then.
  while (!logs.some((l) => /JetStream cluster new metadata leader|Self is new JetStream cluster metadata leader/.test(l))) {
    if (Date.now() > deadline) {
      await dispose();
      throw new Error(`the nats cluster elected no JetStream leader within 30 s:\n${logs.map((l) => l.slice(-1500)).join('\n---\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    nodes: children.map((c, i) => ({
      name: `n${i + 1}`,
      mqttUrl: `mqtt://127.0.0.1:${mqtt[i]!}`,
      natsUrl: `nats://127.0.0.1:${client[i]!}`,
      alive: () => c.exitCode === null && c.signalCode === null,
      log: () => logs[i]!,
    })),
    kill,
    dispose,
  };
}

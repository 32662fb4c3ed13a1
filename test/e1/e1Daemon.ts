/**
 * The real daemon (`ccgate run --config FILE`) on one E1 span whose far end
 * is libpri on a PTY, for the tests that drive the whole program: the site
 * YAML around the span is the caller's, the store, API and span are set up here.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient } from '../../firmware/api/ApiClient.ts';
import { DaemonProcess, removeDir, tempDir } from '../e2e/helpers.ts';
import type { LibpriPeer } from './libpri/libpriPeer.ts';
import { libpriOnPty } from './support.ts';

export interface E1Daemon {
  peer: LibpriPeer;
  api: ApiClient;
  daemon: DaemonProcess;
}

export async function startE1Daemon(o: {
  name: string;
  /** The site's ivr, queues and agents, as YAML lines. */
  site: readonly string[];
  /** More keys of the span (`dtmf: …`), as YAML lines indented under it. */
  span?: readonly string[];
  env?: Record<string, string>;
  apiTimeoutMs?: number;
  onCleanup: (f: () => Promise<void> | void) => void;
}): Promise<E1Daemon> {
  const { hostPath, peer } = await libpriOnPty(o.name, o.onCleanup);
  const dir = tempDir(`ccgate-${o.name}-`);
  o.onCleanup(() => removeDir(dir));
  const configPath = join(dir, 'ccgate.yaml');
  const socketPath = join(dir, 'ccgate.sock');
  writeFileSync(
    configPath,
    [
      'site: {name: E1 site, timeZone: Asia/Tehran, drainMs: 1s}',
      `store: {path: '${join(dir, 'ccgate.db')}'}`,
      'queueLog: {path: null}',
      `api: {socketPath: '${socketPath}'}`,
      ...o.site,
      'trunks:',
      '  - id: e1a',
      '    type: e1',
      `    dchannel: {port: '${hostPath}'}`,
      "    callingNumber: '2188776655'",
      ...(o.span ?? []).map((l) => `    ${l}`),
      '',
    ].join('\n'),
  );
  const daemon = new DaemonProcess(configPath, dir, o.env);
  o.onCleanup(async () => void (await daemon.stop()));
  await daemon.waitReady(socketPath);
  return { peer, api: new ApiClient(socketPath, { timeoutMs: o.apiTimeoutMs ?? 2_000 }), daemon };
}

/**
 * One SSH link to a unit (ssh2 Client): key authentication only (an identity
 * file, or ssh-agent), the unit's host key pinned in known_hosts (unknown or
 * changed keys are refused before authentication, so nothing is sent to a
 * machine we do not know), SSH keepalives so a dead link is noticed, and a
 * reconnect on demand after a cut (the upload resumes on a fresh connection).
 * See docs/flashing.md and ../shared/hardware/updates-systemd.md §4.
 */
// ssh2 is CommonJS: Node's ESM loader sees only its default export.
import ssh2, { type Client, type ConnectConfig, type SFTPWrapper, type ServerHostKeyAlgorithm } from 'ssh2';
import { FlashError } from './FlashError.ts';
import { hostKeyError, hostKeyName, judgeHostKey, pinnedAlgorithms, type KnownHostEntry } from './knownHosts.ts';

/** Where one unit is reached and where its tree sits. */
export interface UnitTarget {
  /** The name shown in the summary (the HOST as given, or the first column of --units). */
  name: string;
  host: string;
  port: number;
  user: string;
  /** The unit's root directory (`/` on a real unit). */
  root: string;
}

/** How the laptop authenticates: a private key read from a file, or an ssh-agent socket. */
export type Identity = { kind: 'key'; file: string; key: Buffer } | { kind: 'agent'; socket: string };

export interface SshOptions {
  knownHostsFile: string;
  knownHosts: readonly KnownHostEntry[];
  identity: Identity;
  /** Handshake deadline, ms. 20 s: a 2G link with a slow key exchange still makes it. */
  readyTimeoutMs: number;
  /** SSH keepalive every this many ms; after `keepaliveCountMax` unanswered ones the link counts as dead. */
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

export const SSH_DEFAULTS = { readyTimeoutMs: 20_000, keepaliveIntervalMs: 5_000, keepaliveCountMax: 3 } as const;

/** Open and authenticate one connection. Rejects with a FlashError naming the unit and what failed. */
export function connect(target: UnitTarget, opts: SshOptions): Promise<Client> {
  const client = new ssh2.Client();
  let refused: FlashError | null = null;
  const pinned = pinnedAlgorithms(opts.knownHosts, target.host, target.port) as ServerHostKeyAlgorithm[];
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.user,
    readyTimeout: opts.readyTimeoutMs,
    keepaliveInterval: opts.keepaliveIntervalMs,
    keepaliveCountMax: opts.keepaliveCountMax,
    // Ask for the key types we have pinned, so a unit that also has an RSA key is not "changed" when it offers that one.
    ...(pinned.length > 0 ? { algorithms: { serverHostKey: pinned } } : {}),
    hostVerifier: (key: Buffer): boolean => {
      const verdict = judgeHostKey(opts.knownHosts, target.host, target.port, key);
      if (!verdict.ok) refused = hostKeyError(verdict, opts.knownHostsFile, target.host, target.port, key);
      return verdict.ok;
    },
    ...(opts.identity.kind === 'key' ? { privateKey: opts.identity.key } : { agent: opts.identity.socket }),
    authHandler: [opts.identity.kind === 'key' ? 'publickey' : 'agent'],
  };
  return new Promise((resolve, reject) => {
    const fail = (e: FlashError): void => {
      client.removeAllListeners('ready');
      client.end();
      reject(e);
    };
    const onClose = (): void => {
      if (refused) return fail(refused);
      fail(new FlashError('CONNECT_FAILED', `${hostKeyName(target.host, target.port)} closed the connection during the handshake`, { unit: target.name }));
    };
    client.once('ready', () => {
      client.removeAllListeners('error');
      client.removeListener('close', onClose);
      // Later errors (a cut link) surface through the channel in use and the 'close' the link watches.
      client.on('error', () => undefined);
      resolve(client);
    });
    client.on('error', (e: Error & { level?: string }) => {
      if (refused) return fail(refused);
      if (e.level === 'client-authentication') {
        const how = opts.identity.kind === 'key' ? `the key ${opts.identity.file}` : `the keys in ssh-agent (${opts.identity.socket})`;
        return fail(new FlashError('AUTH_FAILED', `${target.user}@${hostKeyName(target.host, target.port)} did not accept ${how}`, { unit: target.name }, { cause: e }));
      }
      fail(new FlashError('CONNECT_FAILED', `cannot reach ${hostKeyName(target.host, target.port)}: ${e.message}`, { unit: target.name }, { cause: e }));
    });
    client.once('close', onClose);
    try {
      client.connect(config);
    } catch (e) {
      // ssh2 parses the private key synchronously (an encrypted key without a passphrase throws here).
      fail(new FlashError('IDENTITY_UNREADABLE', `cannot use ${opts.identity.kind === 'key' ? opts.identity.file : 'ssh-agent'}: ${(e as Error).message}`, { unit: target.name }, { cause: e }));
    }
  });
}

/**
 * A connection that reconnects on demand: `client()` returns the live one or
 * opens a new one; `drop()` forgets a connection after a failure (a cut link,
 * a stalled transfer). The host key is checked again on every reconnect.
 */
export class SshLink {
  #client: Client | null = null;
  /** Connections opened so far (1 + reconnects), for the progress lines. */
  connections = 0;

  constructor(
    readonly target: UnitTarget,
    private readonly opts: SshOptions,
  ) {}

  async client(): Promise<Client> {
    if (this.#client) return this.#client;
    const c = await connect(this.target, this.opts);
    this.connections++;
    this.#client = c;
    c.once('close', () => {
      if (this.#client === c) this.#client = null;
    });
    return c;
  }

  /** Close the current connection (if any) so the next `client()` opens a fresh one. */
  drop(): void {
    const c = this.#client;
    this.#client = null;
    c?.destroy();
  }

  close(): void {
    const c = this.#client;
    this.#client = null;
    c?.end();
  }
}

/** The SFTP subsystem on a connection. */
export function openSftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))));
}


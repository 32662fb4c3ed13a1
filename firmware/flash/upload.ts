/**
 * Upload a bundle to `<unit-root>/var/lib/ccgate/incoming/<name>` over SFTP,
 * made for a poor link: the bytes go to `<name>.part`; after a cut, a fresh
 * connection asks the unit how much arrived and sends only the rest. SFTP
 * requests are pipelined (several writes in flight, as ssh2's fastPut does)
 * and OpenSSH's sftp-server handles them in order, so what is on the unit
 * after a cut is always a prefix of the file. Once whole, the unit's copy is
 * fsynced, hashed with `sha256sum` on the unit and compared with ours, and
 * only then renamed to its final name: a bundle under its final name is
 * always complete. A copy that hashes differently (a stale .part from another
 * build with the same name) is deleted and sent again from the start.
 */
import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Client, SFTPWrapper, Stats } from 'ssh2';
import { openSftp, type SshLink } from './connect.ts';
import { FlashError } from './FlashError.ts';
import { execCollect, shq } from './remoteShell.ts';

export interface LocalBundle {
  path: string;
  /** The file name on the unit (the bundle's own name). */
  name: string;
  size: number;
  sha256: string;
}

export interface UploadOptions {
  /** Connections tried in all, the first included (default 5). */
  maxAttempts: number;
  /** Wait before attempt n (n ≥ 2), ms: 1 s, 2 s, 4 s, … capped at 30 s by default. */
  backoffMs(attempt: number): number;
  /** Bytes per SFTP write (32 KiB: OpenSSH's sftp-server reads up to 256 KiB, ssh2's fastPut uses 32 KiB). */
  chunkBytes: number;
  /** SFTP writes in flight at once (fastPut's default is 64; 16 keeps a 2G link's buffers short). */
  inFlight: number;
}

export const UPLOAD_DEFAULTS: UploadOptions = {
  maxAttempts: 5,
  backoffMs: (n) => Math.min(30_000, 1000 * 2 ** (n - 2)),
  chunkBytes: 32 * 1024,
  inFlight: 16,
};

export type UploadEvent =
  | { kind: 'attempt'; attempt: number; of: number; offset: number; error?: string }
  | { kind: 'progress'; sent: number; size: number }
  | { kind: 'verified'; sha256: string }
  | { kind: 'present'; sha256: string };

export interface UploadResult {
  /** Where the bundle is on the unit. */
  remotePath: string;
  /** Bundle bytes written over SFTP in all attempts (0 if the unit already had it). */
  bytesSent: number;
  attempts: number;
}

/** Upload `bundle` into `incomingDir` on the unit; rejects with UPLOAD_FAILED once every attempt is used. */
export async function uploadBundle(link: SshLink, bundle: LocalBundle, incomingDir: string, opts: UploadOptions, onEvent: (e: UploadEvent) => void = () => undefined): Promise<UploadResult> {
  const finalPath = posix.join(incomingDir, bundle.name);
  const partPath = `${finalPath}.part`;
  let bytesSent = 0;
  let lastError: unknown = null;
  for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
    if (attempt > 1) await sleep(opts.backoffMs(attempt));
    const attemptOnce = async (client: Client): Promise<UploadResult> => {
      const sftp = await openSftp(client);
      try {
        if (attempt === 1 && (await alreadyThere(client, sftp, finalPath, bundle))) {
          onEvent({ kind: 'present', sha256: bundle.sha256 });
          return { remotePath: finalPath, bytesSent, attempts: attempt };
        }
        await ensureDir(sftp, incomingDir);
        const have = (await statOrNull(sftp, partPath))?.size ?? 0;
        const offset = have <= bundle.size ? have : 0;
        onEvent({ kind: 'attempt', attempt, of: opts.maxAttempts, offset, ...(lastError ? { error: message(lastError) } : {}) });
        await sendFrom(sftp, bundle, partPath, offset, opts, (n) => {
          bytesSent += n;
          onEvent({ kind: 'progress', sent: offset + n, size: bundle.size });
        });
        const remoteHash = await sha256OnUnit(client, partPath);
        if (remoteHash !== bundle.sha256) {
          await call<void>((cb) => sftp.unlink(partPath, cb));
          throw new FlashError('UPLOAD_HASH_MISMATCH', `${partPath} on the unit hashes to ${remoteHash}, the bundle to ${bundle.sha256}: deleted, sending again from the start`, { path: partPath });
        }
        await rename(sftp, partPath, finalPath);
        onEvent({ kind: 'verified', sha256: remoteHash });
        return { remotePath: finalPath, bytesSent, attempts: attempt };
      } finally {
        sftp.end();
      }
    };
    try {
      const client = await link.client();
      return await untilClosed(client, attemptOnce(client));
    } catch (e) {
      lastError = e;
      if (!retryable(e)) throw wrap(e, link, finalPath, attempt);
      link.drop();
    }
  }
  throw wrap(lastError, link, finalPath, opts.maxAttempts);
}

/** Write the file from `offset` to its end with up to `inFlight` writes outstanding, then fsync and close. */
async function sendFrom(sftp: SFTPWrapper, bundle: LocalBundle, partPath: string, offset: number, opts: UploadOptions, onSent: (n: number) => void): Promise<void> {
  // 'w' creates or truncates (fresh start); 'r+' keeps what arrived before the cut.
  const handle = await call<Buffer>((cb) => sftp.open(partPath, offset === 0 ? 'w' : 'r+', 0o600, cb));
  const local = await open(bundle.path, 'r');
  try {
    let next = offset;
    const inFlight = new Set<Promise<void>>();
    while (next < bundle.size || inFlight.size > 0) {
      while (next < bundle.size && inFlight.size < opts.inFlight) {
        const pos = next;
        const len = Math.min(opts.chunkBytes, bundle.size - pos);
        next += len;
        const buf = Buffer.alloc(len);
        const { bytesRead } = await local.read(buf, 0, len, pos);
        if (bytesRead !== len) throw new FlashError('UPLOAD_FAILED', `${bundle.path} changed while it was being sent`, { path: bundle.path });
        const p: Promise<void> = call<void>((cb) => sftp.write(handle, buf, 0, len, pos, cb)).then(() => {
          inFlight.delete(p);
          onSent(len);
        });
        // The first failure ends the loop through Promise.race; the others must not surface as unhandled.
        p.catch(() => undefined);
        inFlight.add(p);
      }
      if (inFlight.size > 0) await Promise.race(inFlight);
    }
    // Durable before it is renamed (fsync@openssh.com; older servers without it only get the close).
    await call<unknown>((cb) => sftp.ext_openssh_fsync(handle, cb)).catch(() => undefined);
  } finally {
    await local.close();
    await call<void>((cb) => sftp.close(handle, cb)).catch(() => undefined);
  }
}

/** A bundle already complete under its final name (a second flash of the same build) is not sent again. */
async function alreadyThere(client: Client, sftp: SFTPWrapper, finalPath: string, bundle: LocalBundle): Promise<boolean> {
  const st = await statOrNull(sftp, finalPath);
  return st !== null && st.size === bundle.size && (await sha256OnUnit(client, finalPath)) === bundle.sha256;
}

async function sha256OnUnit(client: Client, path: string): Promise<string> {
  const r = await execCollect(client, `sha256sum -- ${shq(path)}`);
  const hash = /^([0-9a-f]{64})\b/.exec(r.stdout)?.[1];
  if (r.code !== 0 || hash === undefined) {
    if (r.code === null) throw new Error(`the connection dropped while hashing ${path}`);
    throw new FlashError('UPLOAD_FAILED', `sha256sum of ${path} on the unit failed (exit ${r.code}): ${r.stderr.trim()}`, { path });
  }
  return hash;
}

async function ensureDir(sftp: SFTPWrapper, dir: string): Promise<void> {
  if (await statOrNull(sftp, dir)) return;
  await call<void>((cb) => sftp.mkdir(dir, { mode: 0o700 }, cb));
}

async function rename(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  // posix-rename@openssh.com replaces an existing file atomically; plain SFTP rename refuses to.
  await call<void>((cb) => sftp.ext_openssh_rename(from, to, cb));
}

async function statOrNull(sftp: SFTPWrapper, path: string): Promise<Stats | null> {
  try {
    return await call<Stats>((cb) => sftp.stat(path, cb));
  } catch (e) {
    if (sftpStatus(e) === 2) return null; // SSH_FX_NO_SUCH_FILE
    throw e;
  }
}

/** An SFTP status code (draft-ietf-secsh-filexfer-02 §7), or null for a transport error. */
function sftpStatus(e: unknown): number | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
}

/**
 * Worth another connection: the link dropped or stalled, or the unit's copy
 * was wrong. Not worth it: the unit said no (permission denied, no space,
 * an SFTP status), or the host key or the key was refused.
 */
function retryable(e: unknown): boolean {
  if (e instanceof FlashError) return e.code === 'UPLOAD_HASH_MISMATCH' || e.code === 'CONNECT_FAILED' || e.code === 'CONNECTION_LOST';
  return sftpStatus(e) === null;
}

function wrap(e: unknown, link: SshLink, path: string, attempts: number): FlashError {
  // A unit that cannot be reached at all, a refused key or host key: that error says it best.
  if (e instanceof FlashError && e.code !== 'UPLOAD_HASH_MISMATCH' && e.code !== 'CONNECTION_LOST') return e;
  const why = sftpStatus(e) !== null ? `the unit refused: ${message(e)}` : `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${message(e)}`;
  return new FlashError('UPLOAD_FAILED', `upload of ${path} to ${link.target.name}: ${why}`, { unit: link.target.name, path, attempts }, { cause: e });
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Settle with `work`, or reject as soon as the connection closes: SFTP
 * requests in flight when a link is cut are not always answered, and a
 * transfer must not wait for them.
 */
function untilClosed<T>(client: Client, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onClose = (): void => reject(new FlashError('CONNECTION_LOST', 'the connection dropped during the upload'));
    client.once('close', onClose);
    work.then(resolve, reject).finally(() => client.removeListener('close', onClose));
  });
}

function call<T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

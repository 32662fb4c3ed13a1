import { lstat, mkdir, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { CcgateError } from '../../gateway/core/errors.ts';
import type { Logger } from '../../gateway/core/Logger.ts';

/** How long to wait for an existing socket to accept before calling it stale (ms). */
const PROBE_TIMEOUT_MS = 1000;

/** Linux sun_path holds 108 bytes including the terminating NUL (unix(7)). */
const MAX_SOCKET_PATH_BYTES = 107;

/** What a connection attempt to a socket path found. */
export type ProbeResult = 'answered' | 'refused' | 'missing';

/** Try to connect to a Unix socket: does a process accept on it? */
export function probeSocket(socketPath: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const sock = connect({ path: socketPath });
    const timer = setTimeout(() => {
      // A listener that never accepts is hung, not gone: refusing to start is the safe answer.
      sock.destroy();
      resolve('answered');
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve('answered');
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ECONNREFUSED') resolve('refused');
      else if (e.code === 'ENOENT') resolve('missing');
      else reject(e);
    });
  });
}

/**
 * Make `socketPath` ready to listen on: create its directory, remove a stale
 * socket left by a daemon that died (SIGKILL, power loss: nothing unlinked
 * it), and refuse if another daemon is serving there or the path is not a
 * socket (never delete a regular file someone put there).
 */
export async function prepareSocketPath(socketPath: string, logger: Logger): Promise<void> {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    throw new CcgateError('CONFIG_INVALID', `api.socketPath is too long for a Unix socket (${Buffer.byteLength(socketPath)} bytes, max ${MAX_SOCKET_PATH_BYTES}): ${socketPath}`, {
      key: 'api.socketPath',
      socketPath,
    });
  }
  await mkdir(dirname(socketPath), { recursive: true });
  let isSocket: boolean;
  try {
    isSocket = (await lstat(socketPath)).isSocket();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (!isSocket) {
    throw new CcgateError('CONFIG_INVALID', `api.socketPath ${socketPath} exists and is not a socket; remove it or choose another path`, {
      key: 'api.socketPath',
      socketPath,
    });
  }
  const probe = await probeSocket(socketPath);
  if (probe === 'answered') {
    throw new CcgateError('DAEMON_ALREADY_RUNNING', `another ccgate daemon is already serving ${socketPath}; stop it or set a different api.socketPath`, {
      key: 'api.socketPath',
      socketPath,
    });
  }
  if (probe === 'refused') {
    logger.warn({ socketPath }, 'removing stale API socket (nothing answered on it)');
    await unlink(socketPath).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}

/**
 * The running daemon's trunks, read from its API socket (`api.socketPath` of
 * the unit's config) for the "no trunk worse than before" gate. Only that
 * one key is read, from the raw YAML: the updater must work with a config
 * written for another release than its own.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { ApiClient } from '../api/ApiClient.ts';
import type { TrunkReading } from './health.ts';

/** The schema's default (firmware/config/schema.ts). */
const DEFAULT_SOCKET = './var/ccgate.sock';

/**
 * The API socket named by the config at `configPath`, or null (no file, or the API is off).
 * A relative path is taken from `root`: systemd starts services in `/`.
 */
export function socketPathOf(configPath: string, root: string): string | null {
  let doc: unknown;
  try {
    doc = parse(readFileSync(configPath, 'utf8'));
  } catch {
    return null;
  }
  const api = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).api : undefined;
  const raw = typeof api === 'object' && api !== null ? (api as Record<string, unknown>).socketPath : undefined;
  if (raw === null) return null;
  const p = typeof raw === 'string' && raw !== '' ? raw : DEFAULT_SOCKET;
  return isAbsolute(p) ? p : join(root, p);
}

/** The trunks as the daemon reports them, or null when it does not answer within `timeoutMs`. */
export async function readTrunks(socketPath: string | null, timeoutMs = 3_000): Promise<TrunkReading[] | null> {
  if (socketPath === null) return null;
  try {
    const snap = await new ApiClient(socketPath, { timeoutMs }).snapshot();
    return snap.trunks.map((t) => ({ id: t.id, up: t.up }));
  } catch {
    return null;
  }
}

/**
 * What the laptop knows about the bundle before sending it: its size and
 * SHA-256 (compared with the unit's copy after the upload) and the version in
 * its manifest (shown as `to` in the summary, also for units never reached).
 * The signature is not checked here: the unit checks it against its own
 * trusted keys, which is the check that matters.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { list } from 'tar';
import { FlashError } from './FlashError.ts';
import type { LocalBundle } from './upload.ts';

export interface BundleInfo extends LocalBundle {
  version: string;
}

export async function readBundleInfo(path: string): Promise<BundleInfo> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new FlashError('BUNDLE_INVALID', `cannot read the bundle ${path}: ${(e as Error).message}`, { path }, { cause: e });
  }
  const [sha256, manifest] = await Promise.all([hashFile(path), manifestOf(path)]);
  let version: unknown;
  try {
    version = (JSON.parse(manifest.toString('utf8')) as { version?: unknown }).version;
  } catch {
    version = undefined;
  }
  if (typeof version !== 'string' || version === '') throw new FlashError('BUNDLE_INVALID', `${path}: manifest.json has no "version" string`, { path });
  return { path, name: basename(path), size, sha256, version };
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

async function manifestOf(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let found = false;
  try {
    await list({
      file: path,
      onReadEntry: (entry) => {
        if (entry.path !== 'manifest.json') return entry.resume();
        found = true;
        entry.on('data', (d: Buffer) => chunks.push(d));
      },
    });
  } catch (e) {
    throw new FlashError('BUNDLE_INVALID', `${path} is not a release bundle (a gzip tar from \`ccgate release build\`): ${(e as Error).message}`, { path }, { cause: e });
  }
  if (!found) throw new FlashError('BUNDLE_INVALID', `${path} has no manifest.json: not a release bundle from \`ccgate release build\``, { path });
  return Buffer.concat(chunks);
}

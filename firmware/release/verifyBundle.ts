/**
 * Check a release bundle completely before anything on the unit changes:
 * the signature over manifest.json's exact bytes by a key the unit trusts
 * and has not revoked, the target, and every file (hash, size, no file
 * missing, none extra, nothing but plain files and folders, no path leaving
 * the release). Then extractTo() writes the files, hashing them again as
 * they are written (the bundle could change between the two reads), and
 * fsyncs them: a power cut during an update never leaves a release that
 * looks complete but is not.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { list, type ReadEntry } from 'tar';
import { fsyncDir } from './atomicFile.ts';
import { parseManifest, RESERVED_NAMES, isSafeRelativePath, targetMismatch, type Manifest, type Target } from './manifest.ts';
import { ReleaseError } from './ReleaseError.ts';
import { parseSignature, verifyBytes } from './signing.ts';
import type { TrustStore } from './trustStore.ts';

/** The prefix of a release's files inside a bundle. */
export const RELEASE_PREFIX = 'release/';

export interface VerifiedBundle {
  manifest: Manifest;
  manifestBytes: Buffer;
  signatureBytes: Buffer;
  /** Write the release into `dir` (created; must not exist with other files), re-checking every hash. */
  extractTo(dir: string): Promise<void>;
}

interface Seen {
  sha256: string;
  size: number;
}

/** Read every entry of the gzip tar; `onFile` gets each plain file's path and a stream of its bytes. */
async function readEntries(bundle: string, onFile: (path: string, entry: ReadEntry) => void): Promise<void> {
  // A throw inside onReadEntry escapes the parser as an uncaught exception: note the first problem, skip the rest, throw after.
  let problem: ReleaseError | null = null;
  try {
    await list({
      file: bundle,
      strict: true,
      onReadEntry: (entry) => {
        const path = entry.path.replace(/^\.\//, '');
        if (problem !== null || entry.type === 'Directory') return void entry.resume();
        if (entry.type !== 'File' && entry.type !== 'OldFile') {
          problem = new ReleaseError('BAD_MANIFEST', `${bundle}: ${path} is a ${entry.type}: a bundle holds only files and folders`, { path });
          return void entry.resume();
        }
        onFile(path, entry);
      },
    });
  } catch (e) {
    if (e instanceof ReleaseError) throw e;
    throw new ReleaseError('BUNDLE_UNREADABLE', `${bundle}: not a readable release bundle (${(e as Error).message})`, { bundle }, { cause: e });
  }
  const found = problem as ReleaseError | null; // assigned in the callback: the compiler cannot see it
  if (found !== null) throw found;
}

function collect(entry: ReadEntry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    entry.on('data', (b: Buffer) => parts.push(b));
    entry.on('end', () => resolve(Buffer.concat(parts)));
    entry.on('error', reject);
  });
}

export async function verifyBundle(bundle: string, opts: { trust: TrustStore; target: Target }): Promise<VerifiedBundle> {
  let manifestBytes: Buffer | null = null;
  let signatureBytes: Buffer | null = null;
  const seen = new Map<string, Seen>();
  const pending: Array<Promise<unknown>> = [];
  await readEntries(bundle, (path, entry) => {
    if (path === 'manifest.json') pending.push(collect(entry).then((b) => (manifestBytes = b)));
    else if (path === 'manifest.sig') pending.push(collect(entry).then((b) => (signatureBytes = b)));
    else {
      const hash = createHash('sha256');
      let size = 0;
      entry.on('data', (b: Buffer) => {
        hash.update(b);
        size += b.length;
      });
      pending.push(new Promise<void>((resolve) => entry.on('end', () => resolve(void seen.set(path, { sha256: hash.digest('hex'), size })))));
    }
  });
  await Promise.all(pending);
  const mBytes = manifestBytes as Buffer | null;
  const sBytes = signatureBytes as Buffer | null;
  if (mBytes === null) throw new ReleaseError('BAD_MANIFEST', `${bundle}: no manifest.json`, { bundle });
  if (sBytes === null) throw new ReleaseError('UNSIGNED', `${bundle} is not signed (no manifest.sig): sign it with ccgate release sign`, { bundle });
  // The signature first: nothing the manifest says is believed before it is known to be ours.
  const sig = parseSignature(sBytes, bundle);
  const signer = opts.trust.lookup(sig.keyId);
  if (signer.kind === 'revoked') throw new ReleaseError('REVOKED_KEY', `${bundle} is signed by key ${sig.keyId}, which this unit has revoked`, { keyId: sig.keyId });
  if (signer.kind === 'unknown') throw new ReleaseError('UNTRUSTED_KEY', `${bundle} is signed by key ${sig.keyId}, which this unit does not trust (${opts.trust.path})`, { keyId: sig.keyId });
  if (!verifyBytes(mBytes, sig.signature, signer.key)) throw new ReleaseError('BAD_SIGNATURE', `${bundle}: the signature does not match manifest.json (changed after signing?)`, { keyId: sig.keyId });
  const manifest = parseManifest(mBytes, bundle);
  const wrong = targetMismatch(manifest.target, opts.target);
  if (wrong !== null) throw new ReleaseError('WRONG_TARGET', `${bundle} (${manifest.version}) cannot run here: ${wrong}`, { bundle });
  for (const [p, f] of Object.entries(manifest.files)) {
    if (!isSafeRelativePath(p) || RESERVED_NAMES.includes(p)) throw new ReleaseError('BAD_MANIFEST', `${bundle}: manifest.json lists an unsafe path ${JSON.stringify(p)}`, { path: p });
    const s = seen.get(RELEASE_PREFIX + p);
    if (s === undefined) throw new ReleaseError('MISSING_FILE', `${bundle}: ${p} is in the manifest but not in the bundle`, { path: p });
    if (s.size !== f.size || s.sha256 !== f.sha256) throw new ReleaseError('HASH_MISMATCH', `${bundle}: ${p} does not match its manifest entry (changed after signing)`, { path: p });
  }
  for (const p of seen.keys()) {
    if (!p.startsWith(RELEASE_PREFIX) || manifest.files[p.slice(RELEASE_PREFIX.length)] === undefined) throw new ReleaseError('EXTRA_FILE', `${bundle}: ${p} is not in the signed manifest`, { path: p });
  }
  const mFinal = mBytes;
  const sFinal = sBytes;
  return { manifest, manifestBytes: mFinal, signatureBytes: sFinal, extractTo: (dir) => extract(bundle, manifest, mFinal, sFinal, dir) };
}

async function extract(bundle: string, manifest: Manifest, manifestBytes: Buffer, signatureBytes: Buffer, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const dirs = new Set<string>([dir]);
  const problems: ReleaseError[] = [];
  const written = new Set<string>();
  await readEntries(bundle, (path, entry) => {
    if (!path.startsWith(RELEASE_PREFIX)) return void entry.resume();
    const rel = path.slice(RELEASE_PREFIX.length);
    const want = manifest.files[rel];
    if (want === undefined || !isSafeRelativePath(rel)) {
      problems.push(new ReleaseError('EXTRA_FILE', `${bundle}: ${path} appeared after verification`, { path }));
      return void entry.resume();
    }
    const target = join(dir, rel);
    mkdirSync(dirname(target), { recursive: true });
    dirs.add(dirname(target));
    const fd = openSync(target, 'w', want.mode & 0o777);
    const hash = createHash('sha256');
    entry.on('data', (b: Buffer) => {
      hash.update(b);
      writeSync(fd, b);
    });
    entry.on('end', () => {
      closeSync(fd);
      if (hash.digest('hex') !== want.sha256) problems.push(new ReleaseError('HASH_MISMATCH', `${bundle}: ${rel} changed between verification and unpacking`, { path: rel }));
      written.add(rel);
    });
  });
  const missing = Object.keys(manifest.files).find((p) => !written.has(p));
  if (missing !== undefined) problems.push(new ReleaseError('MISSING_FILE', `${bundle}: ${missing} vanished between verification and unpacking`, { path: missing }));
  if (problems[0] !== undefined) throw problems[0];
  for (const [name, bytes] of [['manifest.json', manifestBytes], ['manifest.sig', signatureBytes]] as const) {
    const fd = openSync(join(dir, name), 'w', 0o644);
    writeSync(fd, bytes);
    closeSync(fd);
  }
  await fsyncAll([...written].map((rel) => join(dir, rel)).concat(join(dir, 'manifest.json'), join(dir, 'manifest.sig')));
  for (const d of dirs) fsyncDir(d);
}

/**
 * fsync every file once they are all written, several at a time: the file
 * system commits many of them in one journal transaction, where one fsync
 * after each file paid a journal commit per file (seconds for a release's
 * ~2,800 files on an SD card). Durable all the same before the switch.
 */
async function fsyncAll(paths: readonly string[], parallel = 16): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const fh = await open(paths[next++]!, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, paths.length) }, worker));
}

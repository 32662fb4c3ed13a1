/**
 * Sign a built bundle in place: read its manifest.json, sign those exact
 * bytes, and write the bundle again with manifest.sig beside it (the
 * release's files are copied through untouched). Signing happens on the
 * release manager's machine, never on a unit.
 */
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { create, extract } from 'tar';
import type { KeyObject } from 'node:crypto';
import { parseManifest, type Manifest } from './manifest.ts';
import { ReleaseError } from './ReleaseError.ts';
import { serializeSignature, signManifest, type Signature } from './signing.ts';

export async function signBundle(bundle: string, privateKey: KeyObject): Promise<{ manifest: Manifest; signature: Signature }> {
  const dir = mkdtempSync(join(dirname(bundle), '.sign-'));
  try {
    try {
      await extract({ file: bundle, cwd: dir, strict: true });
    } catch (e) {
      throw new ReleaseError('BUNDLE_UNREADABLE', `${bundle}: not a readable release bundle (${(e as Error).message})`, { bundle }, { cause: e });
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(dir, 'manifest.json'));
    } catch {
      throw new ReleaseError('BAD_MANIFEST', `${bundle}: no manifest.json`, { bundle });
    }
    const manifest = parseManifest(bytes, bundle);
    const signature = signManifest(bytes, privateKey);
    writeFileSync(join(dir, 'manifest.sig'), serializeSignature(signature));
    const entries = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
      .filter((p) => p !== 'manifest.json' && p !== 'manifest.sig')
      .sort();
    const tmp = `${bundle}.signing`;
    await create({ file: tmp, gzip: { level: 9 }, cwd: dir, portable: true, mtime: new Date(0), noDirRecurse: true }, ['manifest.json', 'manifest.sig', ...entries]);
    renameSync(tmp, bundle);
    return { manifest, signature };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

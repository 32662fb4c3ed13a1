import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestKey, makeTestRelease, tamperBundle } from '../../test/support/releaseFixture.ts';
import { currentTarget, serializeManifest, type Manifest, type Target } from './manifest.ts';
import { isReleaseError, type ReleaseErrorCode } from './ReleaseError.ts';
import { loadPrivateKey, loadPublicKey, publicKeyPem, serializeSignature, signManifest, type KeyFiles } from './signing.ts';
import { hashFile, manifestFor, writeBundle } from './buildRelease.ts';
import { signOp, TrustStore } from './trustStore.ts';
import { verifyBundle } from './verifyBundle.ts';

const dir = mkdtempSync(join(tmpdir(), 'ccgate-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = makeTestKey(join(dir, 'keys'), 'release');
const next = makeTestKey(join(dir, 'keys'), 'next');
const stranger = makeTestKey(join(dir, 'keys'), 'stranger');
let trust: TrustStore;
let good: string;
let small: string;

/** A two-file release (fast to build and tamper with) for the refusals; the full tree is tested once. */
async function smallRelease(name: string, signer: KeyFiles | null, target: Partial<Target> = {}): Promise<string> {
  const stage = join(dir, 'small', name);
  mkdirSync(join(stage, 'release', 'bin'), { recursive: true });
  writeFileSync(join(stage, 'release', 'bin', 'ccgate.mjs'), '#!/usr/bin/env node\n', { mode: 0o755 });
  writeFileSync(join(stage, 'release', 'package.json'), '{"version":"1.0.0"}\n');
  const staged = { dir: stage, files: { 'bin/ccgate.mjs': hashFile(join(stage, 'release', 'bin', 'ccgate.mjs')), 'package.json': hashFile(join(stage, 'release', 'package.json')) } };
  const m = manifestFor(staged, { version: '1.0.0', seq: 1, target: { ...currentTarget(), ...target } });
  const out = join(dir, 'small', `${name}.tar.gz`);
  await writeBundle(out, staged, m, signer === null ? null : signManifest(serializeManifest(m), loadPrivateKey(signer.privateKeyPath)), 1);
  return out;
}

async function refusal(bundle: string, t: TrustStore = trust): Promise<ReleaseErrorCode | 'accepted'> {
  try {
    await verifyBundle(bundle, { trust: t, target: currentTarget() });
    return 'accepted';
  } catch (e) {
    if (isReleaseError(e)) return e.code;
    throw e;
  }
}

beforeAll(async () => {
  trust = TrustStore.load(join(dir, 'etc', 'release-keys.json'));
  trust.bootstrap(loadPublicKey(key.publicKeyPath), 'test');
  good = await makeTestRelease({ dir: join(dir, 'out'), version: '9.8.7', seq: 3, key });
  small = await smallRelease('good', key);
}, 120_000);

describe('verifyBundle', () => {
  it('accepts a signed bundle of this checkout, and extractTo writes a release that runs', async () => {
    const v = await verifyBundle(good, { trust, target: currentTarget() });
    expect(v.manifest).toMatchObject({ version: '9.8.7', seq: 3, target: currentTarget() });
    const to = join(dir, 'releases', '9.8.7');
    await v.extractTo(to);
    expect(readFileSync(join(to, 'manifest.json'))).toEqual(v.manifestBytes);
    expect(existsSync(join(to, 'manifest.sig'))).toBe(true);
    expect(statSync(join(to, 'bin', 'ccgate.mjs')).mode & 0o777).toBe(0o755);
    expect(statSync(join(to, 'package.json')).mode & 0o777).toBe(0o644);
    expect(existsSync(join(to, 'dist', 'firmware', 'cli', 'main.js'))).toBe(true);
    const r = spawnSync(process.execPath, [join(to, 'bin', 'ccgate.mjs'), '--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain((JSON.parse(readFileSync(join(to, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('refuses a file changed after signing, before writing anything', async () => {
    const to = join(dir, 'releases', 'tampered');
    const bad = await tamperBundle(small, 'package.json', Buffer.from('{}\n'));
    let err: unknown;
    await verifyBundle(bad, { trust, target: currentTarget() }).catch((e: unknown) => (err = e));
    expect(isReleaseError(err, 'HASH_MISMATCH')).toBe(true);
    expect((err as Error).message).toContain('package.json');
    expect(existsSync(to)).toBe(false);
  });

  it('refuses an extra file, a changed manifest, an unsigned bundle and another target', async () => {
    expect(await refusal(small)).toBe('accepted');
    expect(await refusal(await tamperBundle(small, 'dist/evil.js', Buffer.from('x')))).toBe('EXTRA_FILE');
    const m = JSON.parse(readFileSync(join(dir, 'small', 'good', 'manifest.json'), 'utf8')) as Manifest;
    expect(await refusal(await tamperBundle(small, '../manifest.json', serializeManifest({ ...m, seq: 99 })))).toBe('BAD_SIGNATURE');
    expect(await refusal(await smallRelease('unsigned', null))).toBe('UNSIGNED');
    expect(await refusal(await smallRelease('mips', key, { arch: 'mips' }))).toBe('WRONG_TARGET');
    expect(await refusal(await smallRelease('abi', key, { nodeAbi: '1' }))).toBe('WRONG_TARGET');
  }, 60_000);

  it('refuses a key it does not trust and a key it revoked', async () => {
    expect(await refusal(await smallRelease('stranger', stranger))).toBe('UNTRUSTED_KEY');
    const t = TrustStore.load(join(dir, 'etc2', 'release-keys.json'));
    t.bootstrap(loadPublicKey(key.publicKeyPath), 'old');
    t.apply(signOp({ op: 'add', key: { publicKey: publicKeyPem(loadPublicKey(next.publicKeyPath)), comment: 'next' } }, loadPrivateKey(key.privateKeyPath), key.keyId));
    t.apply(signOp({ op: 'revoke', keyId: key.keyId }, loadPrivateKey(next.privateKeyPath), next.keyId));
    expect(await refusal(small, t)).toBe('REVOKED_KEY');
  }, 60_000);

  it('refuses paths leaving the release and symlinks', async () => {
    // A manifest signed by a trusted key that names ../evil: still refused.
    const stage = join(dir, 'escape');
    mkdirSync(join(stage, 'release'), { recursive: true });
    writeFileSync(join(stage, 'release', 'x'), 'x');
    const m: Manifest = { format: 1, name: 'ccgate', version: '1.0.0', seq: 1, createdAt: 'x', configVersion: 1, dbSchemaVersion: 1, target: currentTarget(), files: { '../evil': { sha256: '0'.repeat(64), size: 1, mode: 0o644 } } };
    const bytes = serializeManifest(m);
    writeFileSync(join(stage, 'manifest.json'), bytes);
    writeFileSync(join(stage, 'manifest.sig'), serializeSignature(signManifest(bytes, loadPrivateKey(key.privateKeyPath))));
    await create({ file: join(dir, 'escape.tar.gz'), gzip: true, cwd: stage, portable: true }, ['manifest.json', 'manifest.sig', 'release/x']);
    expect(await refusal(join(dir, 'escape.tar.gz'))).toBe('BAD_MANIFEST');
    symlinkSync('/etc/passwd', join(stage, 'release', 'link'));
    await create({ file: join(dir, 'link.tar.gz'), gzip: true, cwd: stage, portable: true }, ['manifest.json', 'manifest.sig', 'release/link']);
    expect(await refusal(join(dir, 'link.tar.gz'))).toBe('BAD_MANIFEST');
    writeFileSync(join(dir, 'junk.tar.gz'), 'not a bundle');
    expect(await refusal(join(dir, 'junk.tar.gz'))).toBe('BUNDLE_UNREADABLE');
  });
});

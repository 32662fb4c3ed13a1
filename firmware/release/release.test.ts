import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestKey, makeTestRelease, tamperBundle } from '../../test/support/releaseFixture.ts';
import { runCli } from '../cli/testing.ts';
import { currentTarget } from './manifest.ts';
import { ReleaseError } from './ReleaseError.ts';
import { loadPrivateKey, loadPublicKey, keyIdOf, signBytes, verifyBytes, type KeyFiles } from './signing.ts';
import { opBytes, signOp, TrustStore } from './trustStore.ts';
import { verifyBundle } from './verifyBundle.ts';

let dir: string;
let key: KeyFiles;
let other: KeyFiles;
let good: string;

const code = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof ReleaseError) return e.code;
    throw e;
  }
};

function trustOnly(k: KeyFiles, name: string): TrustStore {
  const t = TrustStore.load(join(dir, `${name}.json`));
  t.bootstrap(loadPublicKey(k.publicKeyPath), name);
  return t;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccgate-rel-'));
  key = makeTestKey(join(dir, 'k'));
  other = makeTestKey(join(dir, 'k'), 'other');
  good = await makeTestRelease({ dir: join(dir, 'b'), version: '2.0.0', seq: 2, key });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('release signatures', () => {
  it('ed25519 over exact bytes: one changed byte fails, a malformed signature fails without throwing', () => {
    const priv = loadPrivateKey(key.privateKeyPath);
    const pub = loadPublicKey(key.publicKeyPath);
    const bytes = Buffer.from('{"version":"1.0.0"}\n');
    const sig = signBytes(bytes, priv);
    expect(Buffer.from(sig, 'base64')).toHaveLength(64);
    expect(verifyBytes(bytes, sig, pub)).toBe(true);
    expect(verifyBytes(Buffer.from('{"version":"1.0.1"}\n'), sig, pub)).toBe(false);
    expect(verifyBytes(bytes, 'not base64!', pub)).toBe(false);
    expect(keyIdOf(pub)).toBe(key.keyId);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('verifyBundle', () => {
  it('accepts a bundle signed by a trusted key and unpacks it whole', async () => {
    const v = await verifyBundle(good, { trust: trustOnly(key, 't1'), target: currentTarget() });
    expect(v.manifest).toMatchObject({ version: '2.0.0', seq: 2, target: currentTarget() });
    const out = join(dir, 'x');
    await v.extractTo(out);
    expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'))).toMatchObject({ name: 'ccgate' });
    expect(readFileSync(join(out, 'manifest.json'))).toEqual(v.manifestBytes);
  });

  it('refuses an untrusted key, a revoked key, an unsigned bundle, a changed file and a wrong target, before writing anything', async () => {
    expect(await code(verifyBundle(good, { trust: trustOnly(other, 't2'), target: currentTarget() }))).toBe('UNTRUSTED_KEY');
    const revoking = trustOnly(other, 't3');
    revoking.apply(signOp({ op: 'add', key: { publicKey: readFileSync(key.publicKeyPath, 'utf8'), comment: 'k' } }, loadPrivateKey(other.privateKeyPath), other.keyId));
    revoking.apply(signOp({ op: 'revoke', keyId: key.keyId }, loadPrivateKey(other.privateKeyPath), other.keyId));
    expect(await code(verifyBundle(good, { trust: revoking, target: currentTarget() }))).toBe('REVOKED_KEY');
    const unsigned = await makeTestRelease({ dir: join(dir, 'u'), version: '2.0.1', key, sign: false });
    expect(await code(verifyBundle(unsigned, { trust: trustOnly(key, 't4'), target: currentTarget() }))).toBe('UNSIGNED');
    const tampered = await tamperBundle(good, 'bin/ccgate.mjs', Buffer.from('process.exit(0)\n'));
    expect(await code(verifyBundle(tampered, { trust: trustOnly(key, 't5'), target: currentTarget() }))).toBe('HASH_MISMATCH');
    expect(await code(verifyBundle(good, { trust: trustOnly(key, 't6'), target: { ...currentTarget(), nodeAbi: '1' } }))).toBe('WRONG_TARGET');
    writeFileSync(join(dir, 'junk.tar.gz'), 'not a tar');
    expect(await code(verifyBundle(join(dir, 'junk.tar.gz'), { trust: trustOnly(key, 't7'), target: currentTarget() }))).toBe('BUNDLE_UNREADABLE');
  });
});

describe('trust store', () => {
  it('adds and revokes keys only by ops signed with a trusted key; a replay changes nothing; the last key stays', () => {
    const t = trustOnly(key, 'ops');
    expect(() => t.bootstrap(loadPublicKey(other.privateKeyPath.replace('.key', '.pub')), 'x')).toThrow(expect.objectContaining({ code: 'TRUST_STORE_NOT_EMPTY' }));
    const selfSigned = signOp({ op: 'add', key: { publicKey: readFileSync(other.publicKeyPath, 'utf8'), comment: 'o' } }, loadPrivateKey(other.privateKeyPath), other.keyId);
    expect(() => t.apply(selfSigned)).toThrow(expect.objectContaining({ code: 'OP_NOT_TRUSTED' }));
    const add = signOp({ op: 'add', key: { publicKey: readFileSync(other.publicKeyPath, 'utf8'), comment: 'next' } }, loadPrivateKey(key.privateKeyPath), key.keyId);
    expect(() => t.apply({ ...add, key: { publicKey: add.key!.publicKey, comment: 'changed' } })).toThrow(expect.objectContaining({ code: 'BAD_OP' }));
    expect(t.apply(add)).toBe('applied');
    expect(t.apply(add)).toBe('replayed');
    expect(TrustStore.load(t.path).keys.map((k) => k.id)).toEqual([key.keyId, other.keyId]);
    expect(t.apply(signOp({ op: 'revoke', keyId: key.keyId }, loadPrivateKey(other.privateKeyPath), other.keyId))).toBe('applied');
    expect(() => t.apply(signOp({ op: 'revoke', keyId: other.keyId }, loadPrivateKey(other.privateKeyPath), other.keyId))).toThrow(expect.objectContaining({ code: 'LAST_KEY' }));
    expect(opBytes(add).toString()).not.toContain('signature');
  });
});

describe('ccgate release and keys', () => {
  it('keygen, sign and verify through the command line; a bundle refused exits 1 with its code', async () => {
    const cwd = join(dir, 'cli');
    const io = { cwd, socket: join(cwd, 's.sock') };
    expect((await runCli(['release', 'keygen', '--out', join(dir, 'cli-key')], io)).code).toBe(0);
    expect(existsSync(join(dir, 'cli-key.key'))).toBe(true);
    const unsigned = await makeTestRelease({ dir: join(dir, 'cli-b'), version: '3.0.0', key, sign: false });
    expect((await runCli(['release', 'sign', unsigned, '--key', join(dir, 'cli-key.key')], io)).code).toBe(0);
    const root = join(dir, 'unit');
    expect((await runCli(['keys', 'trust', join(dir, 'cli-key.pub'), '--root', root], io)).code).toBe(0);
    const ok = await runCli(['release', 'verify', unsigned, '--root', root, '--json'], io);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, version: '3.0.0' });
    const refused = await runCli(['release', 'verify', good, '--root', root], io);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('UNTRUSTED_KEY');
  }, 60_000);
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestKey } from '../../test/support/releaseFixture.ts';
import { isReleaseError } from './ReleaseError.ts';
import { loadPrivateKey, loadPublicKey, publicKeyPem } from './signing.ts';
import { signOp, TrustStore } from './trustStore.ts';

const dir = mkdtempSync(join(tmpdir(), 'ccgate-trust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isReleaseError(e)) return e.code;
    throw e;
  }
  return 'no error';
}

describe('TrustStore', () => {
  const current = makeTestKey(join(dir, 'keys'), 'current');
  const next = makeTestKey(join(dir, 'keys'), 'next');
  const stranger = makeTestKey(join(dir, 'keys'), 'stranger');
  const addNext = signOp({ op: 'add', key: { publicKey: publicKeyPem(loadPublicKey(next.publicKeyPath)), comment: 'next' } }, loadPrivateKey(current.privateKeyPath), current.keyId);

  it('bootstraps the first key only, applies signed ops once, and never revokes the last key', () => {
    const path = join(dir, 'etc', 'release-keys.json');
    const empty = TrustStore.load(path);
    expect(empty.keys).toEqual([]);
    expect(empty.lookup(current.keyId).kind).toBe('unknown');
    empty.bootstrap(loadPublicKey(current.publicKeyPath), 'first');
    // Saved atomically and read back as the same store.
    const s = TrustStore.load(path);
    expect(s.keys.map((k) => [k.id, k.addedBy])).toEqual([[current.keyId, 'bootstrap']]);
    expect(codeOf(() => s.bootstrap(loadPublicKey(next.publicKeyPath), 'again'))).toBe('TRUST_STORE_NOT_EMPTY');

    // Revoking the only key is refused.
    const revokeCurrent = signOp({ op: 'revoke', keyId: current.keyId }, loadPrivateKey(current.privateKeyPath), current.keyId);
    expect(codeOf(() => s.apply(revokeCurrent))).toBe('LAST_KEY');

    expect(s.apply(addNext)).toBe('applied');
    expect(s.apply(addNext)).toBe('replayed');
    expect(TrustStore.load(path).keys.map((k) => k.id)).toEqual([current.keyId, next.keyId]);

    // Rotation: the next key revokes the current one.
    const rotate = signOp({ op: 'revoke', keyId: current.keyId }, loadPrivateKey(next.privateKeyPath), next.keyId);
    expect(TrustStore.load(path).apply(rotate)).toBe('applied');
    const after = TrustStore.load(path);
    expect(after.keys.map((k) => k.id)).toEqual([next.keyId]);
    expect(after.revoked).toEqual([current.keyId]);
    expect(after.lookup(current.keyId).kind).toBe('revoked');
    expect(after.lookup(next.keyId).kind).toBe('trusted');

    // A revoked key signs nothing any more, and cannot come back.
    const byRevoked = signOp({ op: 'add', key: { publicKey: publicKeyPem(loadPublicKey(stranger.publicKeyPath)), comment: 'x' } }, loadPrivateKey(current.privateKeyPath), current.keyId);
    expect(codeOf(() => after.apply(byRevoked))).toBe('OP_NOT_TRUSTED');
    const readd = signOp({ op: 'add', key: { publicKey: publicKeyPem(loadPublicKey(current.publicKeyPath)), comment: 'back' } }, loadPrivateKey(next.privateKeyPath), next.keyId);
    expect(codeOf(() => after.apply(readd))).toBe('KEY_REVOKED');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ format: 1, revoked: [current.keyId], appliedOps: [addNext.opId, rotate.opId] });
  });

  it('refuses ops signed by an unknown key or changed after signing', () => {
    const path = join(dir, 'etc2', 'release-keys.json');
    TrustStore.load(path).bootstrap(loadPublicKey(current.publicKeyPath), 'first');
    const s = TrustStore.load(path);
    const byStranger = signOp({ op: 'revoke', keyId: current.keyId }, loadPrivateKey(stranger.privateKeyPath), stranger.keyId);
    expect(codeOf(() => s.apply(byStranger))).toBe('OP_NOT_TRUSTED');
    const forged = { ...addNext, key: { publicKey: publicKeyPem(loadPublicKey(stranger.publicKeyPath)), comment: 'next' } };
    expect(codeOf(() => s.apply(forged))).toBe('BAD_OP');
    expect(TrustStore.load(path).keys.map((k) => k.id)).toEqual([current.keyId]);
  });
});

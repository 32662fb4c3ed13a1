/**
 * The release keys a unit trusts (etc/ccgate/release-keys.json). The public
 * keys live on the unit, never in a bundle: a bundle only names which key
 * signed it. The first key is trusted on installation (bootstrap); after
 * that, adding or revoking a key is itself an operation signed by a key the
 * unit already trusts, so a stolen laptop without the release key cannot
 * change what a unit accepts. Rotation is add-next, ship, revoke-old
 * (docs/releases.md).
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomicFile.ts';
import { ReleaseError } from './ReleaseError.ts';
import { canonicalJson, keyIdOf, publicKeyFromPem, publicKeyPem, signBytes, verifyBytes } from './signing.ts';

export interface TrustedKey {
  id: string;
  publicKey: string;
  comment: string;
  /** The key that signed its addition, or 'bootstrap' for the first one. */
  addedBy: string;
}

interface TrustFile {
  format: 1;
  keys: TrustedKey[];
  revoked: string[];
  appliedOps: string[];
}

/** An add or revoke, signed by a trusted key over the canonical JSON of every other field. */
export interface KeyOp {
  op: 'add' | 'revoke';
  opId: string;
  key?: { publicKey: string; comment: string };
  keyId?: string;
  signedBy: string;
  signature: string;
}

export type KeyLookup = { kind: 'trusted'; key: KeyObject } | { kind: 'revoked' } | { kind: 'unknown' };

export class TrustStore {
  private constructor(
    readonly path: string,
    private data: TrustFile,
  ) {}

  /** The store at `path`; a missing file is an empty store (a unit with no keys trusts nothing). */
  static load(path: string): TrustStore {
    if (!existsSync(path)) return new TrustStore(path, { format: 1, keys: [], revoked: [], appliedOps: [] });
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ReleaseError('TRUST_STORE_INVALID', `${path}: not readable JSON (${(e as Error).message})`, { path }, { cause: e });
    }
    const d = raw as Partial<TrustFile> | null;
    if (typeof d !== 'object' || d === null || d.format !== 1 || !Array.isArray(d.keys) || !Array.isArray(d.revoked) || !Array.isArray(d.appliedOps)) {
      throw new ReleaseError('TRUST_STORE_INVALID', `${path}: expected {"format": 1, "keys": [...], "revoked": [...], "appliedOps": [...]}`, { path });
    }
    for (const [i, k] of d.keys.entries()) {
      const key = publicKeyFromPem(String(k.publicKey), `${path}: keys[${i}].publicKey`);
      if (keyIdOf(key) !== k.id) throw new ReleaseError('TRUST_STORE_INVALID', `${path}: keys[${i}].id ${String(k.id)} is not the id of its public key (${keyIdOf(key)})`, { path });
    }
    return new TrustStore(path, { format: 1, keys: d.keys, revoked: d.revoked.map(String), appliedOps: d.appliedOps.map(String) });
  }

  get keys(): readonly TrustedKey[] {
    return this.data.keys;
  }

  get revoked(): readonly string[] {
    return this.data.revoked;
  }

  lookup(keyId: string): KeyLookup {
    if (this.data.revoked.includes(keyId)) return { kind: 'revoked' };
    const k = this.data.keys.find((x) => x.id === keyId);
    return k === undefined ? { kind: 'unknown' } : { kind: 'trusted', key: publicKeyFromPem(k.publicKey, `${this.path}: key ${keyId}`) };
  }

  /** Trust the first key (installation). Refused once the store holds a key: later keys come as signed ops. */
  bootstrap(publicKey: KeyObject, comment: string): TrustedKey {
    if (this.data.keys.length > 0) throw new ReleaseError('TRUST_STORE_NOT_EMPTY', `${this.path} already trusts ${this.data.keys.map((k) => k.id).join(', ')}: add keys with a signed operation (ccgate keys sign-op add)`, { path: this.path });
    const k: TrustedKey = { id: keyIdOf(publicKey), publicKey: publicKeyPem(publicKey), comment, addedBy: 'bootstrap' };
    this.data = { ...this.data, keys: [k] };
    this.save();
    return k;
  }

  /** Apply a signed op; 'replayed' when this op was applied before (nothing changes). */
  apply(op: KeyOp): 'applied' | 'replayed' {
    if (this.data.appliedOps.includes(op.opId)) return 'replayed';
    const signer = this.lookup(op.signedBy);
    if (signer.kind !== 'trusted') throw new ReleaseError('OP_NOT_TRUSTED', `the operation ${op.opId} is signed by ${op.signedBy}, which this unit ${signer.kind === 'revoked' ? 'has revoked' : 'does not trust'}`, { opId: op.opId });
    if (!verifyBytes(opBytes(op), op.signature, signer.key)) throw new ReleaseError('BAD_OP', `the operation ${op.opId}: the signature does not match its contents`, { opId: op.opId });
    let { keys, revoked } = this.data;
    if (op.op === 'add') {
      if (op.key === undefined) throw new ReleaseError('BAD_OP', `the add operation ${op.opId} carries no key`, { opId: op.opId });
      const key = publicKeyFromPem(op.key.publicKey, `operation ${op.opId}`);
      const id = keyIdOf(key);
      if (revoked.includes(id)) throw new ReleaseError('KEY_REVOKED', `key ${id} was revoked on this unit and cannot be trusted again`, { keyId: id });
      if (!keys.some((k) => k.id === id)) keys = [...keys, { id, publicKey: publicKeyPem(key), comment: op.key.comment, addedBy: op.signedBy }];
    } else {
      const id = op.keyId ?? '';
      if (!keys.some((k) => k.id === id)) throw new ReleaseError('BAD_OP', `the revoke operation ${op.opId} names ${id}, which this unit does not trust`, { opId: op.opId });
      if (keys.length === 1) throw new ReleaseError('LAST_KEY', `${id} is the last key this unit trusts: add its successor first`, { keyId: id });
      keys = keys.filter((k) => k.id !== id);
      revoked = [...revoked, id];
    }
    this.data = { format: 1, keys, revoked, appliedOps: [...this.data.appliedOps, op.opId] };
    this.save();
    return 'applied';
  }

  private save(): void {
    writeFileAtomic(this.path, JSON.stringify(this.data, null, 2) + '\n', 0o644);
  }
}

/** The bytes an op's signature covers: every field but the signature, canonical JSON. */
export function opBytes(op: Omit<KeyOp, 'signature'> & { signature?: string }): Buffer {
  const { signature: _signature, ...rest } = op;
  return Buffer.from(canonicalJson(rest), 'utf8');
}

/** Make a signed op (on the release manager's machine, with the private key). */
export function signOp(body: { op: 'add'; key: { publicKey: string; comment: string } } | { op: 'revoke'; keyId: string }, signer: KeyObject, signerId: string): KeyOp {
  const unsigned = { ...body, opId: randomBytes(8).toString('hex'), signedBy: signerId };
  return { ...unsigned, signature: signBytes(opBytes(unsigned), signer) };
}

/** Parse an op file; `where` names it in errors. */
export function parseOp(text: string, where: string): KeyOp {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ReleaseError('BAD_OP', `${where}: not JSON`);
  }
  const o = raw as Partial<KeyOp> | null;
  const ok = typeof o === 'object' && o !== null && (o.op === 'add' || o.op === 'revoke') && typeof o.opId === 'string' && typeof o.signedBy === 'string' && typeof o.signature === 'string';
  if (!ok) throw new ReleaseError('BAD_OP', `${where}: expected {"op": "add"|"revoke", "opId", "signedBy", "signature", and "key" or "keyId"}`);
  return o as KeyOp;
}

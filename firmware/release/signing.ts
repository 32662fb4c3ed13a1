/**
 * Release keys and signatures: ed25519 through node:crypto, no dependency.
 * Raw ed25519 reads no clock (no certificate validity), so a unit with a
 * wrong clock still verifies. Keys are PEM files: the private key PKCS#8
 * (mode 0600), the public key SPKI. A key is named by its id: the first 8
 * bytes of the SHA-256 of its raw 32-byte public key, in hex.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ReleaseError } from './ReleaseError.ts';

/** A key pair on disk, as `ccgate release keygen` writes it. */
export interface KeyFiles {
  privateKeyPath: string;
  publicKeyPath: string;
  keyId: string;
}

/** manifest.sig: which key signed, and the signature over manifest.json's exact bytes. */
export interface Signature {
  keyId: string;
  /** base64 of the 64-byte ed25519 signature */
  signature: string;
}

/** The 16-hex-digit id of an ed25519 public key. */
export function keyIdOf(publicKey: KeyObject): string {
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new ReleaseError('BAD_KEY', `expected an ed25519 key, got ${publicKey.asymmetricKeyType ?? 'a symmetric key'}`);
  const jwk = publicKey.export({ format: 'jwk' });
  const raw = Buffer.from(jwk.x ?? '', 'base64url');
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/** A public key from SPKI PEM text; `where` names it in errors. */
export function publicKeyFromPem(pem: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new ReleaseError('BAD_KEY', `${where}: not a public key in PEM form (${(e as Error).message})`, { where }, { cause: e });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ReleaseError('BAD_KEY', `${where}: expected an ed25519 public key, got ${key.asymmetricKeyType ?? 'another kind'}`, { where });
  return key;
}

/** The SPKI PEM text of a public key (how the trust store and op files carry keys). */
export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

export function loadPublicKey(path: string): KeyObject {
  return publicKeyFromPem(readKeyFile(path), path);
}

export function loadPrivateKey(path: string): KeyObject {
  const text = readKeyFile(path);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch (e) {
    throw new ReleaseError('BAD_KEY', `${path}: not a private key in PEM form (${(e as Error).message})`, { path }, { cause: e });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ReleaseError('BAD_KEY', `${path}: expected an ed25519 private key, got ${key.asymmetricKeyType ?? 'another kind'}`, { path });
  return key;
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new ReleaseError('BAD_KEY', `${path}: cannot read the key file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { path }, { cause: e });
  }
}

/**
 * A new key pair: `<prefix>.key` (PKCS#8 PEM, mode 0600, created exclusively
 * so an existing key is never overwritten) and `<prefix>.pub` (SPKI PEM).
 */
export function generateKeyFiles(prefix: string): KeyFiles {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateKeyPath = `${prefix}.key`;
  const publicKeyPath = `${prefix}.pub`;
  writeNew(privateKeyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
  writeNew(publicKeyPath, publicKeyPem(publicKey), 0o644);
  return { privateKeyPath, publicKeyPath, keyId: keyIdOf(publicKey) };
}

function writeNew(path: string, text: string, mode: number): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ReleaseError('BAD_KEY', code === 'EEXIST' ? `${path} exists already: a key is never overwritten (choose another --out)` : `${path}: cannot create (${code ?? (e as Error).message})`, { path }, { cause: e });
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Sign exact bytes; the signature as base64. */
export function signBytes(bytes: Uint8Array, privateKey: KeyObject): string {
  return sign(null, bytes, privateKey).toString('base64');
}

/** True when `signatureB64` is `publicKey`'s signature of exactly `bytes`. Never throws on a malformed signature. */
export function verifyBytes(bytes: Uint8Array, signatureB64: string, publicKey: KeyObject): boolean {
  const sig = Buffer.from(signatureB64, 'base64');
  if (sig.length !== 64 || sig.toString('base64') !== signatureB64) return false;
  try {
    return verify(null, bytes, publicKey, sig);
  } catch {
    return false;
  }
}

/** manifest.sig for `manifestBytes`. */
export function signManifest(manifestBytes: Uint8Array, privateKey: KeyObject): Signature {
  return { keyId: keyIdOf(createPublicKey(privateKey)), signature: signBytes(manifestBytes, privateKey) };
}

export function serializeSignature(s: Signature): Buffer {
  return Buffer.from(JSON.stringify({ keyId: s.keyId, signature: s.signature }, null, 2) + '\n', 'utf8');
}

/** Parse manifest.sig; a malformed one is BAD_SIGNATURE (nothing it says can be trusted). */
export function parseSignature(bytes: Buffer, where: string): Signature {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ReleaseError('BAD_SIGNATURE', `${where}: manifest.sig is not JSON`, { where });
  }
  const s = raw as Partial<Record<keyof Signature, unknown>> | null;
  if (typeof s !== 'object' || s === null || typeof s.keyId !== 'string' || !/^[0-9a-f]{16}$/.test(s.keyId) || typeof s.signature !== 'string') {
    throw new ReleaseError('BAD_SIGNATURE', `${where}: manifest.sig: expected {"keyId": 16 hex digits, "signature": base64}`, { where });
  }
  return { keyId: s.keyId, signature: s.signature };
}

/**
 * JSON with object keys sorted at every level and no spaces: the bytes a
 * trust-store operation's signature covers, whatever order a file had.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * OpenSSH known_hosts, read the way ssh(1) reads it (sshd(8) "SSH_KNOWN_HOSTS
 * FILE FORMAT"): `[@marker] names keytype base64-key [comment]`, where names
 * are comma-separated patterns (`*`, `?`, `!negation`), `[host]:port` for a
 * port other than 22, or one hashed name `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`
 * (HashKnownHosts). A unit's host key is pinned here: the flasher accepts
 * exactly the key listed for that host and never trusts on first use.
 * Pure functions: no I/O beyond the text handed in.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { FlashError } from './FlashError.ts';

export interface KnownHostEntry {
  /** 1-based line number in the file, for error messages. */
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  /** Plain patterns, or empty when the name is hashed. */
  patterns: string[];
  hashed: { salt: Buffer; hash: Buffer } | null;
  keyType: string;
  /** The key in SSH wire format (what the server sends and ssh2 hands the host verifier). */
  key: Buffer;
}

/** A line ssh(1) would skip too; reported so a typo in the file is not silent. */
export interface SkippedLine {
  line: number;
  expected: string;
}

/**
 * Parse a known_hosts text. Blank and `#` lines are comments; a line that is
 * not a host key is skipped, as ssh(1) skips it, and listed in `skipped`.
 */
export function parseKnownHosts(text: string): { entries: KnownHostEntry[]; skipped: SkippedLine[] } {
  const entries: KnownHostEntry[] = [];
  const skipped: SkippedLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parsed = parseLine(line, i + 1);
    if ('expected' in parsed) skipped.push(parsed);
    else entries.push(parsed);
  });
  return { entries, skipped };
}

function parseLine(text: string, line: number): KnownHostEntry | SkippedLine {
  const fields = text.split(/\s+/);
  let marker: KnownHostEntry['marker'] = null;
  if (fields[0]?.startsWith('@')) {
    const m = fields.shift();
    if (m === '@revoked') marker = 'revoked';
    else if (m === '@cert-authority') marker = 'cert-authority';
    else return { line, expected: `a marker @revoked or @cert-authority, not ${JSON.stringify(m)}` };
  }
  const [names, keyType, b64] = fields;
  if (names === undefined || keyType === undefined || b64 === undefined) return { line, expected: '"names keytype base64-key [comment]"' };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return { line, expected: 'a base64 key after the key type' };
  const key = Buffer.from(b64, 'base64');
  if (wireKeyType(key) !== keyType) return { line, expected: `a ${keyType} key (the key itself says ${JSON.stringify(wireKeyType(key))})` };
  if (names.startsWith('|')) {
    const [, magic, salt, hash] = names.split('|');
    if (magic !== '1' || salt === undefined || hash === undefined) return { line, expected: 'a hashed name |1|salt|hash' };
    return { line, marker, patterns: [], hashed: { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') }, keyType, key };
  }
  return { line, marker, patterns: names.split(',').filter((p) => p !== ''), hashed: null, keyType, key };
}

/** The name ssh(1) looks up for a host: `host` on port 22, else `[host]:port`. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Whether an entry's names cover this host and port (negated patterns win). */
export function entryMatches(e: KnownHostEntry, host: string, port: number): boolean {
  const name = hostKeyName(host, port);
  if (e.hashed) {
    const mac = createHmac('sha1', e.hashed.salt).update(name).digest();
    return mac.length === e.hashed.hash.length && timingSafeEqual(mac, e.hashed.hash);
  }
  let hit = false;
  for (const p of e.patterns) {
    const negated = p.startsWith('!');
    if (!globMatch(negated ? p.slice(1) : p, name)) continue;
    if (negated) return false;
    hit = true;
  }
  return hit;
}

/** What to do with the key a server offered. */
export type HostKeyVerdict =
  | { ok: true; line: number }
  | { ok: false; code: 'HOST_KEY_UNKNOWN' | 'HOST_KEY_CHANGED' | 'HOST_KEY_REVOKED'; lines: number[] };

/** Decide on an offered key: pinned (same bytes on a line for this host), revoked, changed or unknown. */
export function judgeHostKey(entries: readonly KnownHostEntry[], host: string, port: number, offered: Buffer): HostKeyVerdict {
  // A revoked key is refused whatever host line it sits on (sshd(8): "must not ever be accepted").
  const revoked = entries.filter((e) => e.marker === 'revoked' && e.key.equals(offered));
  if (revoked.length > 0) return { ok: false, code: 'HOST_KEY_REVOKED', lines: revoked.map((e) => e.line) };
  // Certificate authorities are not supported: a unit's plain host key is pinned.
  const mine = entries.filter((e) => e.marker === null && entryMatches(e, host, port));
  const same = mine.find((e) => e.key.equals(offered));
  if (same) return { ok: true, line: same.line };
  return mine.length > 0 ? { ok: false, code: 'HOST_KEY_CHANGED', lines: mine.map((e) => e.line) } : { ok: false, code: 'HOST_KEY_UNKNOWN', lines: [] };
}

/** The error for a refused key, naming the file, the lines and the offered key's fingerprint. */
export function hostKeyError(verdict: Extract<HostKeyVerdict, { ok: false }>, file: string, host: string, port: number, offered: Buffer): FlashError {
  const name = hostKeyName(host, port);
  const fp = fingerprint(offered);
  const at = verdict.lines.map((l) => `${file}:${l}`).join(', ');
  const context = { file, host, port, lines: verdict.lines, offered: fp };
  switch (verdict.code) {
    case 'HOST_KEY_UNKNOWN':
      return new FlashError(
        verdict.code,
        `${name} is not in ${file}: refusing to connect to a unit whose host key is not pinned. The unit offered ${wireKeyType(offered)} ${fp}; ` +
          `compare it with the unit's own (\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on its console) and add the line to ${file}`,
        context,
      );
    case 'HOST_KEY_CHANGED':
      return new FlashError(
        verdict.code,
        `the host key of ${name} has CHANGED: ${file} pins another key at ${at}, the unit offered ${wireKeyType(offered)} ${fp}. ` +
          `Someone may be in the middle, or the unit was reinstalled; check the unit's key on its console before editing that line`,
        context,
      );
    case 'HOST_KEY_REVOKED':
      return new FlashError(verdict.code, `${name} offered ${fp}, a key marked @revoked in ${file} at ${at}: refusing to connect`, context);
  }
}

/** The host key algorithms to offer so the server presents a key type we have pinned (as ssh(1) orders them). */
export function pinnedAlgorithms(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const types = entries.filter((e) => e.marker === null && entryMatches(e, host, port)).map((e) => e.keyType);
  const algos = types.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
  return [...new Set(algos)];
}

/** `SHA256:<base64 without padding>`, as ssh-keygen -l prints it. */
export function fingerprint(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

/** The key type string at the start of an SSH wire-format key blob. */
function wireKeyType(key: Buffer): string {
  if (key.length < 4) return '';
  const n = key.readUInt32BE(0);
  return n > 0 && 4 + n <= key.length ? key.subarray(4, 4 + n).toString('latin1') : '';
}

function globMatch(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

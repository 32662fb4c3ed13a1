import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entryMatches, fingerprint, hostKeyError, hostKeyName, judgeHostKey, parseKnownHosts, pinnedAlgorithms } from '../../firmware/flash/knownHosts.ts';
import { makeKey } from '../support/sshd.ts';

// Real keys from ssh-keygen, and hashed names written by `ssh-keygen -H` itself (not by our own HMAC).
const dir = mkdtempSync(join(tmpdir(), 'ccgate-kh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const a = makeKey(dir, 'a').publicKey;
const b = makeKey(dir, 'b').publicKey;
const blob = (pub: string): Buffer => Buffer.from(pub.split(' ')[1]!, 'base64');

describe('known_hosts', () => {
  it('names a host as ssh does: bare on port 22, [host]:port otherwise', () => {
    expect(hostKeyName('unit7.branch', 22)).toBe('unit7.branch');
    expect(hostKeyName('10.0.0.7', 2222)).toBe('[10.0.0.7]:2222');
  });

  it('parses plain, bracketed, wildcard and negated names, markers and comments', () => {
    const text = [
      '# pinned by the installer',
      `unit1,10.0.0.1 ${a} unit1 key`,
      `[10.0.0.2]:2222 ${a}`,
      `*.tehran,!bad.tehran ${b}`,
      `@revoked * ${b}`,
      '',
    ].join('\n');
    const { entries, skipped } = parseKnownHosts(text);
    expect(skipped).toEqual([]);
    expect(entries.map((e) => [e.line, e.marker, e.patterns])).toEqual([
      [2, null, ['unit1', '10.0.0.1']],
      [3, null, ['[10.0.0.2]:2222']],
      [4, null, ['*.tehran', '!bad.tehran']],
      [5, 'revoked', ['*']],
    ]);
    const [one, two, wild] = entries;
    expect(entryMatches(one!, '10.0.0.1', 22)).toBe(true);
    expect(entryMatches(one!, '10.0.0.1', 2222)).toBe(false);
    expect(entryMatches(two!, '10.0.0.2', 2222)).toBe(true);
    expect(entryMatches(two!, '10.0.0.2', 22)).toBe(false);
    expect(entryMatches(wild!, 'unit3.tehran', 22)).toBe(true);
    expect(entryMatches(wild!, 'bad.tehran', 22)).toBe(false);
  });

  it('matches names hashed by ssh-keygen -H, for port 22 and [host]:port', () => {
    const file = join(dir, 'hashed');
    writeFileSync(file, `unit9.branch ${a}\n[127.0.0.1]:2200 ${b}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    const { entries } = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.hashed !== null && e.patterns.length === 0)).toBe(true);
    expect(judgeHostKey(entries, 'unit9.branch', 22, blob(a))).toEqual({ ok: true, line: entries[0]!.line });
    expect(judgeHostKey(entries, '127.0.0.1', 2200, blob(b))).toEqual({ ok: true, line: entries[1]!.line });
    expect(judgeHostKey(entries, '127.0.0.1', 2201, blob(b)).ok).toBe(false);
  });

  it('judges an offered key: pinned, changed (naming the lines), unknown, revoked', () => {
    const { entries } = parseKnownHosts(`# x\nunit1 ${a}\n[unit2]:2222 ${a}\n@revoked * ${b}\n`);
    expect(judgeHostKey(entries, 'unit1', 22, blob(a))).toEqual({ ok: true, line: 2 });
    const other = makeKey(dir, 'c').publicKey;
    expect(judgeHostKey(entries, 'unit1', 22, blob(other))).toEqual({ ok: false, code: 'HOST_KEY_CHANGED', lines: [2] });
    expect(judgeHostKey(entries, 'unit3', 22, blob(other))).toEqual({ ok: false, code: 'HOST_KEY_UNKNOWN', lines: [] });
    expect(judgeHostKey(entries, 'unit1', 22, blob(b))).toEqual({ ok: false, code: 'HOST_KEY_REVOKED', lines: [4] });
  });

  it('says which file and line pins the other key, and the offered fingerprint as ssh-keygen -l prints it', () => {
    const { entries } = parseKnownHosts(`unit1 ${a}\n`);
    const offered = blob(b);
    const verdict = judgeHostKey(entries, 'unit1', 22, offered);
    if (verdict.ok) throw new Error('expected a refusal');
    const err = hostKeyError(verdict, 'test-known_hosts', 'unit1', 22, offered);
    expect(err.code).toBe('HOST_KEY_CHANGED');
    expect(err.message).toContain('test-known_hosts:1');
    const printed = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'b.pub')], { encoding: 'utf8' }).split(' ')[1];
    expect(fingerprint(offered)).toBe(printed);
    expect(err.message).toContain(printed);
  });

  it('skips lines that are not host keys, as ssh does, and says which', () => {
    const { entries, skipped } = parseKnownHosts(`garbage\nunit1 ssh-ed25519 !!!\nunit1 ssh-rsa ${a.split(' ')[1]}\n@weird unit1 ${a}\nunit1 ${a}\n`);
    expect(entries.map((e) => e.line)).toEqual([5]);
    expect(skipped.map((s) => s.line)).toEqual([1, 2, 3, 4]);
    expect(skipped[2]!.expected).toContain('ssh-ed25519');
  });

  it('offers the pinned key types first (RSA as its SHA-2 signature names)', () => {
    const { entries } = parseKnownHosts(`unit1 ${a}\n`);
    expect(pinnedAlgorithms(entries, 'unit1', 22)).toEqual(['ssh-ed25519']);
    expect(pinnedAlgorithms(entries, 'unit2', 22)).toEqual([]);
  });
});

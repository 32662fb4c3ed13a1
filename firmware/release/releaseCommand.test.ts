import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { hashFile, manifestFor, writeBundle } from './buildRelease.ts';

const dir = mkdtempSync(join(tmpdir(), 'ccgate-relcli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { cwd: dir, env: {}, io: { out: (t) => (out += t), err: (t) => (err += t), columns: undefined } });
  return { code, out, err };
}

describe('ccgate release and ccgate keys', () => {
  it('keygen, trust, sign, verify, then rotate with signed ops', async () => {
    expect((await cli('release', 'keygen', '--out', 'k/current')).code).toBe(0);
    expect((await cli('release', 'keygen', '--out', 'k/next')).code).toBe(0);
    expect((await cli('keys', 'trust', 'k/current.pub', '--root', 'unit')).code).toBe(0);
    expect((await cli('keys', 'trust', 'k/next.pub', '--root', 'unit')).err).toContain('TRUST_STORE_NOT_EMPTY');

    // A small unsigned bundle: refused, signed, then accepted.
    const stage = join(dir, 'stage');
    mkdirSync(join(stage, 'release', 'bin'), { recursive: true });
    writeFileSync(join(stage, 'release', 'bin', 'ccgate.mjs'), '#!/usr/bin/env node\n', { mode: 0o755 });
    const staged = { dir: stage, files: { 'bin/ccgate.mjs': hashFile(join(stage, 'release', 'bin', 'ccgate.mjs')) } };
    await writeBundle(join(dir, 'b.tar.gz'), staged, manifestFor(staged, { version: '2.0.0', seq: 5 }), null, 1);
    const unsigned = await cli('release', 'verify', 'b.tar.gz', '--root', 'unit', '--json');
    expect(unsigned.code).toBe(1);
    expect(JSON.parse(unsigned.out)).toMatchObject({ ok: false, code: 'UNSIGNED' });
    expect((await cli('release', 'sign', 'b.tar.gz', '--key', 'k/current.key')).code).toBe(0);
    const ok = await cli('release', 'verify', 'b.tar.gz', '--root', 'unit', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, version: '2.0.0', seq: 5, files: 1 });

    // Rotation: add next (signed by current), revoke current (signed by next); replay changes nothing.
    expect((await cli('keys', 'sign-op', 'add', 'k/next.pub', '--key', 'k/current.key', '--out', 'add.json')).code).toBe(0);
    expect((await cli('keys', 'apply', 'add.json', '--root', 'unit')).out).toContain('applied add');
    expect((await cli('keys', 'apply', 'add.json', '--root', 'unit')).out).toContain('nothing changed');
    const listed = await cli('keys', 'list', '--root', 'unit', '--json');
    const ids = (JSON.parse(listed.out) as { keys: Array<{ id: string }> }).keys.map((k) => k.id);
    expect(ids).toHaveLength(2);
    expect((await cli('keys', 'sign-op', 'revoke', ids[0] ?? '', '--key', 'k/next.key', '--out', 'revoke.json')).code).toBe(0);
    expect((await cli('keys', 'apply', 'revoke.json', '--root', 'unit')).code).toBe(0);
    const revoked = await cli('release', 'verify', 'b.tar.gz', '--root', 'unit', '--json');
    expect(revoked.code).toBe(1);
    expect(JSON.parse(revoked.out)).toMatchObject({ ok: false, code: 'REVOKED_KEY' });
    expect((await cli('release', 'frobnicate')).code).toBe(2);
  });
});

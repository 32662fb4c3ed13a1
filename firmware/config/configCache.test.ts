import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigCached } from './configCache.ts';
import { loadConfig } from './loadConfig.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ccgate-cfgcache-'));
  dirs.push(dir);
  const file = join(dir, 'site.yaml');
  writeFileSync(file, text);
  const cache = join(dir, 'cache');
  const outcomes: string[] = [];
  const load = (stamp = 'build-1') => loadConfigCached(file, { dir: cache, stamp, onOutcome: (o) => outcomes.push(o) });
  return { file, cache, outcomes, load };
}

const yaml = "site: { name: 'Branch 7', timeZone: Asia/Tehran }\nvip: ['+989121111111']\n";

describe('config cache', () => {
  it('serves an unchanged file from the cache, equal to a full parse', async () => {
    const s = setup(yaml);
    const first = await s.load();
    const second = await s.load();
    expect(s.outcomes).toEqual(['miss', 'hit']);
    expect(second).toEqual(loadConfig(s.file));
    expect(first).toEqual(second);
  });

  it('parses again when the text, the path or the program changes', async () => {
    const s = setup(yaml);
    await s.load();
    writeFileSync(s.file, yaml.replace('Branch 7', 'Branch 8'));
    expect((await s.load()).site.name).toBe('Branch 8');
    await s.load('build-2');
    expect(s.outcomes).toEqual(['miss', 'miss', 'miss']);
    await s.load('build-2');
    expect(s.outcomes.at(-1)).toBe('hit');
  });

  it('never caches an invalid file: its errors come every time', async () => {
    const s = setup('site: { timeZone: Mars/Olympus }\n');
    await expect(s.load()).rejects.toThrow(/site\.yaml.*site\.timeZone/s);
    await expect(s.load()).rejects.toThrow(/site\.timeZone/);
    expect(existsSync(s.cache) ? readdirSync(s.cache) : []).toEqual([]);
  });

  it('falls back to parsing when the cache is corrupt or cannot be written', async () => {
    const s = setup(yaml);
    await s.load();
    for (const f of readdirSync(s.cache)) writeFileSync(join(s.cache, f), '{not json');
    expect((await s.load()).site.name).toBe('Branch 7');
    expect(s.outcomes).toEqual(['miss', 'miss']);
    if (process.getuid?.() !== 0) {
      chmodSync(s.cache, 0o500);
      expect((await s.load('build-3')).site.name).toBe('Branch 7');
    }
  });

  it('is off without a stamp (running from the sources)', async () => {
    const s = setup(yaml);
    await loadConfigCached(s.file, { dir: s.cache, stamp: null, onOutcome: (o) => s.outcomes.push(o) });
    expect(s.outcomes).toEqual(['off']);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../gateway/core/errors.ts';
import { loadConfig, parseConfig } from './loadConfig.ts';
import { CONFIG_VERSION } from './schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'ccgate-config-version-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(text: string, file: string): ConfigError {
  try {
    loadConfig(writeFile(file, text));
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError, the config was accepted');
}

/** CcgateConfig (not this file's) does not declare `version` yet; the parsed object carries it. */
function versionOf(config: object): unknown {
  return (config as { version?: unknown }).version;
}

function writeFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('config format version', () => {
  it('defaults to CONFIG_VERSION and accepts it written out', () => {
    expect(CONFIG_VERSION).toBe(1);
    expect(versionOf(parseConfig('', 'empty.yaml'))).toBe(CONFIG_VERSION);
    expect(versionOf(parseConfig(`version: ${CONFIG_VERSION}\n`, 'site.yaml'))).toBe(CONFIG_VERSION);
  });

  it('refuses a file written for a newer release, naming the file, the key and the line', () => {
    const e = refusal(`# a newer release's file\nversion: ${CONFIG_VERSION + 1}\nsite: {name: branch}\n`, 'newer.yaml');
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.file).toMatch(/newer\.yaml$/);
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.path).toBe('version');
    expect(e.issues[0]?.expected).toContain('written for a newer release');
    expect(e.issues[0]?.expected).toContain(`config format ${CONFIG_VERSION + 1}, this release reads up to ${CONFIG_VERSION}`);
    expect(e.issues[0]?.expected).toMatch(/newer\.yaml:2:10\)$/);
    expect(e.message).toMatch(/^.*newer\.yaml: invalid configuration\n {2}version: this file was written for a newer release/);
  });

  it.each([['0', 'got 0'], ['1.5', 'got 1.5'], ["'1'", "got '1'"], ['[1]', 'got a list']])('refuses version: %s', (v, got) => {
    const e = refusal(`version: ${v}\n`, 'bad.yaml');
    expect(e.issues.map((i) => i.path)).toEqual(['version']);
    expect(e.issues[0]?.expected).toContain(`expected a whole number ≥ 1 (the config format version), ${got}`);
  });

  it('the example config states its version', () => {
    const example = loadConfig(new URL('./example.yaml', import.meta.url).pathname);
    expect(versionOf(example)).toBe(CONFIG_VERSION);
  });
});

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { CcgateConfig } from './CcgateConfig.ts';
import { readConfigText } from './configText.ts';

/**
 * The validated configuration, kept between starts. Parsing the YAML and
 * validating it (the `yaml` and `zod` modules, the schema) is about a third
 * of a daemon's start on a Pi; a unit restarts with the same file almost
 * every time. So the result is saved as JSON, keyed by everything it depends
 * on: the file's exact text and path, the Node version (ICU decides which
 * time zones are valid), and the compiled schema module's build stamp (any
 * rebuild or release changes it). A miss or anything odd (no cache folder, a
 * corrupt file) parses as before; errors in the file are reported exactly as
 * without the cache, since an invalid file is never cached.
 *
 * The folder is `$CACHE_DIRECTORY` (systemd's `CacheDirectory=ccgate`), else
 * `$XDG_CACHE_HOME/ccgate` or `~/.cache/ccgate`; it is written only when the
 * configuration or the program changed.
 */
const FORMAT = 'ccgate-config-cache 1';

export interface ConfigCacheOptions {
  /** Folder of the cache; null: no cache. Default: see above. */
  dir?: string | null;
  /** The schema's build stamp; default the compiled schema module's (tests give their own). */
  stamp?: string | null;
  /** Called once the outcome is known (for a debug line). */
  onOutcome?: (outcome: 'hit' | 'miss' | 'off', detail?: string) => void;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CACHE_DIRECTORY) return env.CACHE_DIRECTORY.split(':')[0]!;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ccgate');
}

/**
 * The build stamp of the schema: the compiled schema module's mtime and size.
 * Null when running from the TypeScript sources, where any file may change
 * without a build: no cache then.
 */
function schemaStamp(): string | null {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return null;
  try {
    const st = statSync(new URL('./schema.js', import.meta.url));
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return null;
  }
}

/** Read, parse and validate `file`, through the cache when it can. */
export async function loadConfigCached(file: string, opts: ConfigCacheOptions = {}): Promise<CcgateConfig> {
  const text = readConfigText(file);
  const dir = opts.dir === undefined ? defaultCacheDir() : opts.dir;
  const stamp = opts.stamp === undefined ? schemaStamp() : opts.stamp;
  if (dir === null || stamp === null) {
    opts.onOutcome?.('off', dir === null ? 'no cache folder' : 'running from sources');
    return parse(text, file);
  }
  const key = createHash('sha256').update([FORMAT, resolve(file), process.version, stamp, text].join('\0')).digest('hex');
  const path = join(dir, `config-${createHash('sha256').update(resolve(file)).digest('hex').slice(0, 16)}.json`);
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { key?: unknown; config?: unknown };
    if (saved.key === key && typeof saved.config === 'object' && saved.config !== null) {
      opts.onOutcome?.('hit');
      return saved.config as CcgateConfig;
    }
  } catch {
    // No cache yet, or unreadable: parse.
  }
  const config = await parse(text, file);
  const detail = save(dir, path, key, config);
  opts.onOutcome?.('miss', detail);
  return config;
}

async function parse(text: string, file: string): Promise<CcgateConfig> {
  const { parseConfig } = await import('./loadConfig.ts');
  return parseConfig(text, file);
}

/** Save atomically; a config that does not survive JSON unchanged is not cached. Returns why not, if not. */
function save(dir: string, path: string, key: string, config: CcgateConfig): string | undefined {
  const json = JSON.stringify({ key, config });
  if (!isDeepStrictEqual((JSON.parse(json) as { config: unknown }).config, config)) return 'not cached: the configuration does not survive JSON';
  try {
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, json, { mode: 0o640 });
    renameSync(tmp, path);
    return undefined;
  } catch (e) {
    return `not cached: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
}

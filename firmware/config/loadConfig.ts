import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import type { CcgateConfig } from './CcgateConfig.ts';
import { ConfigError } from '../../gateway/core/errors.ts';
import { readConfigText } from './configText.ts';
import { gatewayConfigSchema } from './schema.ts';

/**
 * Reads the YAML configuration and validates it against
 * {@link gatewayConfigSchema}. Every problem becomes one issue of a single
 * {@link ConfigError}: key path (`agents[2].queues[0].queue`), what was
 * expected with what was found, and `file:line:column` when the YAML node can
 * be found.
 *
 * @module
 */

/** One reported problem; `line`/`column` (1-based) when the YAML node was found. */
export interface ConfigIssue {
  path: string;
  expected: string;
  line?: number;
  column?: number;
}

type Segment = PropertyKey;

/**
 * Render a zod path the way a user would write it: `queues.flights.callback.attempts`,
 * `agents[2].queues[0].queue`, `ivr.menus.main.options["*"]`.
 */
export function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      out += /^[\w-]+$/.test(key) ? `${out === '' ? '' : '.'}${key}` : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/**
 * Source offset of the deepest YAML node along `path`: the value when it is a
 * scalar (wrong values), otherwise the key (unknown keys, wrong mappings). A
 * key the file does not have (a missing required key) points at its parent.
 */
function locate(doc: Document, path: readonly Segment[], atKey: boolean): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = isMap(node) || isSeq(node) || isScalar(node) ? node.range?.[0] : undefined;
  for (const [i, seg] of path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
      if (!pair) break;
      const keyAt = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      const valueAt = isScalar(pair.value) ? pair.value.range?.[0] : undefined;
      offset = (last && !atKey ? (valueAt ?? keyAt) : keyAt) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item: unknown = node.items[seg];
      if (!isMap(item) && !isSeq(item) && !isScalar(item)) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

/** Flatten zod issues into one {@link ConfigIssue} per problem (one per unknown key). */
function toIssues(issues: readonly z.core.$ZodIssue[]): Array<{ path: Segment[]; message: string; atKey: boolean }> {
  const out: Array<{ path: Segment[]; message: string; atKey: boolean }> = [];
  for (const iss of issues) {
    if (iss.code === 'unrecognized_keys') {
      // schema.ts obj() writes one line per key, in key order.
      const lines = iss.message.split('\n');
      iss.keys.forEach((k, i) => out.push({ path: [...iss.path, k], message: lines[i] ?? `unknown key '${k}'`, atKey: true }));
    } else if (iss.code === 'invalid_key') {
      // A bad record key (a DTMF option, a queue name): the key's own message is the useful one.
      out.push({ path: iss.path, message: iss.issues[0]?.message ?? iss.message, atKey: true });
    } else {
      out.push({ path: iss.path, message: iss.message, atKey: false });
    }
  }
  return out;
}

function at(file: string, lines: LineCounter, offset: number | undefined): Pick<ConfigIssue, 'line' | 'column'> & { where: string } {
  if (offset === undefined) return { where: '' };
  const { line, col } = lines.linePos(offset);
  return { line, column: col, where: ` (at ${file}:${line}:${col})` };
}

/**
 * Parse and validate configuration text.
 *
 * @param text YAML source; an empty document means "all defaults"
 * @param file the name used in messages (the path the text came from)
 * @returns the validated configuration with every default filled in
 * @throws ConfigError listing every YAML syntax error, or else every validation problem
 */
export function parseConfig(text: string, file: string): CcgateConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e): ConfigIssue => {
        const { where, ...pos } = at(file, lines, e.pos[0]);
        // yaml's pretty message ends in "at line N, column M:" and a code excerpt; we add our own location.
        const first = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
        return { path: '', expected: `valid YAML: ${first}${where}`, ...pos };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS() ?? undefined; // an empty or comment-only file is null: take every default
  } catch (e) {
    // toJS throws for aliases: one used before its anchor, or an alias bomb ("Excessive alias count").
    throw new ConfigError(file, [{ path: '', expected: `valid YAML: ${e instanceof Error ? e.message : String(e)}` }]);
  }
  const r = gatewayConfigSchema.safeParse(data);
  if (r.success) return r.data;

  const seen = new Set<string>();
  const found = toIssues(r.error.issues)
    .map((i) => ({ ...i, offset: locate(doc, i.path, i.atKey) }))
    // File order reads best; issues without a location (none in practice) go last.
    .sort((a, b) => (a.offset ?? Infinity) - (b.offset ?? Infinity))
    .map((i): ConfigIssue => {
      const { where, ...pos } = at(file, lines, i.offset);
      return { path: formatPath(i.path), expected: `${i.message}${where}`, ...pos };
    })
    .filter((i) => !seen.has(i.path + i.expected) && seen.add(i.path + i.expected));
  throw new ConfigError(file, found);
}

/**
 * Read and validate the configuration file.
 *
 * @param file path to the YAML file
 * @throws CcgateError `CONFIG_NOT_FOUND` (context `{file}`) if the file does not exist
 * @throws ConfigError for an unreadable file, YAML syntax errors or invalid settings
 */
export function loadConfig(file: string): CcgateConfig {
  return parseConfig(readConfigText(file), file);
}

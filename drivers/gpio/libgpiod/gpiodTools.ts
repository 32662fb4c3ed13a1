/**
 * libgpiod's command-line tools, pure: which major version is installed, the
 * arguments each version takes, and their output parsed. Debian 12 ships the
 * v1 tools (1.6.x: chip + offset, `gpiofind` to look a name up), newer
 * systems v2 (line names accepted directly, different flags and event codes:
 * v1 prints 1/0 for rising/falling, v2 prints 1/2).
 */

export type GpiodVersion = 1 | 2;

/** `gpiomon -v` → the major version; null when the output is not libgpiod's. */
export function parseVersion(out: string): GpiodVersion | null {
  const m = /\(libgpiod\)\s+v?(\d+)\./.exec(out);
  if (!m) return null;
  return m[1] === '1' ? 1 : Number(m[1]) >= 2 ? 2 : null;
}

/** A line resolved for the v1 tools. */
export interface ChipLine {
  chip: string;
  offset: number;
}

/** `gpiofind GPIO17` → "gpiochip0 17". */
export function parseFind(out: string): ChipLine | null {
  const m = /^(\S+)\s+(\d+)\s*$/.exec(out.trim());
  return m ? { chip: m[1]!, offset: Number(m[2]) } : null;
}

/** `gpioget` values: v1 "0 1 1 0"; v2 with --numeric the same. */
export function parseValues(out: string, count: number): number[] | null {
  const v = out.trim().split(/\s+/).map((s) => (s === '1' ? 1 : s === '0' ? 0 : NaN));
  return v.length === count && v.every((x) => !Number.isNaN(x)) ? v : null;
}

/** The monitor's output format: parsed as integers so zero padding never matters. */
export const MONITOR_FORMAT: Readonly<Record<GpiodVersion, string>> = { 1: '%o %e %s %n', 2: '%l %e %S' };

export function monitorArgs(v: GpiodVersion, lines: { chip?: string; ids: readonly string[] }): string[] {
  // v1: -b line-buffered output (a pipe is block-buffered otherwise); v2 flushes each event itself.
  return v === 1 ? ['-b', '-F', MONITOR_FORMAT[1], lines.chip ?? 'gpiochip0', ...lines.ids] : ['-F', MONITOR_FORMAT[2], ...lines.ids];
}

export function getArgs(v: GpiodVersion, lines: { chip?: string; ids: readonly string[] }): string[] {
  return v === 1 ? [lines.chip ?? 'gpiochip0', ...lines.ids] : ['--numeric', ...lines.ids];
}

/**
 * A process that holds an output line at `value` until it is signalled: a
 * line driven through the character device reverts when its last holder
 * exits (libgpiod's own note), so a one-shot gpioset would not keep TOE high.
 */
export function holdArgs(v: GpiodVersion, line: { chip?: string; id: string }, value: 0 | 1): string[] {
  return v === 1 ? ['--mode=signal', line.chip ?? 'gpiochip0', `${line.id}=${value}`] : [`${line.id}=${value}`];
}

/**
 * One monitor line → an edge; `names` maps v1's offsets back to line names.
 * Null for anything else (a banner, a warning): skipped, never guessed.
 */
export function parseMonitorLine(v: GpiodVersion, text: string, names: ReadonlyMap<string, string>): { line: string; rising: boolean; timeNs: bigint } | null {
  const parts = text.trim().split(/\s+/);
  if (v === 1) {
    if (parts.length !== 4 || !parts.every((p) => /^\d+$/.test(p))) return null;
    const line = names.get(parts[0]!);
    if (!line || (parts[1] !== '0' && parts[1] !== '1')) return null;
    return { line, rising: parts[1] === '1', timeNs: BigInt(parts[2]!) * 1_000_000_000n + BigInt(parts[3]!) };
  }
  if (parts.length !== 3) return null;
  const line = parts[0]!.replace(/^"(.*)"$/, '$1');
  const m = /^(\d+)\.(\d{1,9})$/.exec(parts[2]!);
  if (!m || (parts[1] !== '1' && parts[1] !== '2')) return null;
  return { line, rising: parts[1] === '1', timeNs: BigInt(m[1]!) * 1_000_000_000n + BigInt(m[2]!.padEnd(9, '0')) };
}

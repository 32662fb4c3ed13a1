/**
 * Which units to flash: `[user@]host[:port]` on the command line, or a
 * `--units FILE` with one unit per line, `name [user@]host[:port] [unit-root]`
 * (`#` starts a comment). IPv6 addresses are written in brackets:
 * `[fd00::7]:2222`. Pure functions; errors name the file and line.
 */
import { FlashError } from './FlashError.ts';
import type { UnitTarget } from './connect.ts';

export interface TargetDefaults {
  user: string;
  port: number;
  root: string;
}

/** Split `[user@]host[:port]`; null when it is not one. */
export function parseHostSpec(spec: string, d: Pick<TargetDefaults, 'user' | 'port'>): { user: string; host: string; port: number } | null {
  const at = spec.lastIndexOf('@');
  const user = at >= 0 ? spec.slice(0, at) : d.user;
  const rest = at >= 0 ? spec.slice(at + 1) : spec;
  let host: string;
  let port = d.port;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracket) {
    host = bracket[1]!;
    if (bracket[2] !== undefined) port = Number(bracket[2]);
  } else if ((rest.match(/:/g) ?? []).length > 1) {
    host = rest; // a bare IPv6 address: no port can follow it
  } else {
    const [h, p] = rest.split(':');
    host = h ?? '';
    if (p !== undefined) {
      if (!/^\d+$/.test(p)) return null;
      port = Number(p);
    }
  }
  if (user === '' || host === '' || /\s/.test(host) || !(port >= 1 && port <= 65535)) return null;
  return { user, host, port };
}

/** A HOST given on the command line; its name in the summary is the spec as written. */
export function targetFromSpec(spec: string, d: TargetDefaults): UnitTarget | null {
  const h = parseHostSpec(spec, d);
  return h && { name: spec, ...h, root: d.root };
}

/** Parse a --units file. */
export function parseUnitsFile(text: string, file: string, d: TargetDefaults): UnitTarget[] {
  const units: UnitTarget[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const where = `${file}:${i + 1}`;
    const fields = line.split(/\s+/);
    if (fields.length < 2 || fields.length > 3) throw bad(where, file, i + 1, `expected "name [user@]host[:port] [unit-root]", got ${fields.length} field${fields.length === 1 ? '' : 's'}`);
    const [name, spec, root] = fields as [string, string, string | undefined];
    const h = parseHostSpec(spec, d);
    if (!h) throw bad(where, file, i + 1, `expected [user@]host[:port], got ${JSON.stringify(spec)}`);
    if (root !== undefined && !root.startsWith('/')) throw bad(where, file, i + 1, `the unit root must be an absolute path, got ${JSON.stringify(root)}`);
    const dup = seen.get(name);
    if (dup !== undefined) throw bad(where, file, i + 1, `unit ${JSON.stringify(name)} is already on line ${dup}`);
    seen.set(name, i + 1);
    units.push({ name, ...h, root: root ?? d.root });
  });
  if (units.length === 0) throw new FlashError('UNITS_FILE_INVALID', `${file}: no units in it (one per line: name [user@]host[:port] [unit-root])`, { file });
  return units;
}

function bad(where: string, file: string, line: number, expected: string): FlashError {
  return new FlashError('UNITS_FILE_INVALID', `${where}: ${expected}`, { file, line });
}

import Database from 'better-sqlite3';

type Fn = (...args: unknown[]) => unknown;

/**
 * Time spent inside better-sqlite3 (the SQLite engine, its VFS calls and the
 * conversion of rows), measured by wrapping the methods every statement and
 * connection share on their prototypes. On tmpfs, where a write costs no
 * disk, that is the CPU the store's SQL costs; the rest of the process's CPU
 * is the core's own (routing calls, KPIs, boards), which no store could
 * remove. better-sqlite3 never calls back into JavaScript during these
 * calls here (no user functions); a call made inside another (`pragma`
 * runs a statement) is not counted again.
 */
export function timeSqlite(): { ms(): number; calls(): number; restore(): void } {
  const probe = new Database(':memory:');
  const statement = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, Fn>;
  const connection = Database.prototype as unknown as Record<string, Fn>;
  probe.close();
  let ms = 0;
  let calls = 0;
  let depth = 0;
  const saved: Array<[Record<string, Fn>, string, Fn]> = [];
  const wrap = (proto: Record<string, Fn>, name: string): void => {
    const original = proto[name]!;
    saved.push([proto, name, original]);
    proto[name] = function (this: unknown, ...args: unknown[]): unknown {
      // `pragma` runs a statement of its own: only the outermost call is timed.
      if (depth > 0) return original.apply(this, args);
      depth++;
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        ms += performance.now() - t0;
        calls++;
        depth--;
      }
    };
  };
  for (const name of ['run', 'get', 'all']) wrap(statement, name);
  for (const name of ['exec', 'pragma']) wrap(connection, name);
  return {
    ms: () => ms,
    calls: () => calls,
    restore: () => {
      for (const [proto, name, original] of saved) proto[name] = original;
    },
  };
}

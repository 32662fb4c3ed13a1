/**
 * Wording of configuration errors: every message reads "expected X, got Y" so
 * ConfigError lines look alike whichever schema produced them.
 *
 * @module
 */

/** How a rejected value is quoted in "got …". */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing (the key is missing)';
  if (typeof v === 'string') return v.length > 40 ? `'${v.slice(0, 40)}…'` : `'${v}'`;
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : typeof v;
}

/** A zod `error` option: builds the message from the rejected input. */
export type ErrorFn = (iss: { input?: unknown }) => string;
/** `expected <what>, got <input>` as a zod `error` option. */
export const expected = (what: string): ErrorFn => (iss) => `expected ${what}, got ${show(iss.input)}`;

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

/** "unknown key" with a did-you-mean for typos (`ringTimeout` → `ringTimeoutMs`), else the allowed keys. */
export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const best = allowed
    .map((k) => ({ k, d: k.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, k) }))
    .sort((x, y) => x.d - y.d)[0];
  if (best && best.d <= Math.max(2, Math.floor(key.length / 4))) return `unknown key '${key}' (did you mean '${best.k}'?)`;
  return `unknown key '${key}' (allowed: ${allowed.join(', ')})`;
}

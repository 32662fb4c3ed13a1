import { z } from 'zod';
import { parseDuration } from './duration.ts';
import { expected, show, unknownKeyMessage } from './messages.ts';

/**
 * The building blocks of the config schema: strict mappings, numbers,
 * durations and keyed unions that each carry their own "expected …, got …"
 * message, so every section (gateway, wallboards, …) reports errors alike.
 *
 * @module
 */

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/**
 * A strict mapping: unknown keys are errors, so typos never pass silently.
 * Several unknown keys in one mapping give one message per key, one per line,
 * in the order of `issue.keys` (loadConfig splits them onto their own paths).
 */
export function obj<S extends z.core.$ZodLooseShape>(shape: S, what = 'a mapping') {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? iss.keys.map((k) => unknownKeyMessage(k, allowed)).join('\n')
        : `expected ${what}, got ${show(iss.input)}`,
  });
}

export function whole(min: number, max?: number) {
  const error = expected(max === undefined ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`);
  const n = z.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? n : n.max(max, { error });
}

export const text = (what = 'a non-empty string') => z.string({ error: expected(what) }).min(1, { error: expected(what) });
export const bool = () => z.boolean({ error: expected('true or false') });
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: expected(`one of ${values.map((v) => `'${v}'`).join(', ')}`) });
}

// Queue and agent names end up in queue_log, whose fields are separated by '|'.
export const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const name = (what: string) => {
  const error = expected(`${what} of letters, digits, '_', '.' or '-'`);
  return z.string({ error }).regex(NAME, { error });
};

/** YAML 1.2 reads +98912… and 0912… unquoted as integers, losing the '+' or the leading 0. */
export const phone = () =>
  z
    .string({
      error: (iss) =>
        typeof iss.input === 'number'
          ? `expected a quoted phone number (YAML reads ${iss.input} unquoted as a number and drops any '+' or leading 0), got ${iss.input}`
          : `expected a non-empty phone number, got ${show(iss.input)}`,
    })
    .min(1, { error: expected('a non-empty phone number') });

/** Milliseconds, or a string such as '30s'; `positive` rejects 0 where it would mean "never wait". */
export function duration(positive = false) {
  const error = expected(`a duration${positive ? ' > 0' : ''}: milliseconds or a string like '500ms', '30s', '5m', '1h30m'`);
  return z.union([z.number(), z.string()], { error }).transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : parseDuration(v);
    if (ms === undefined || !Number.isSafeInteger(ms) || ms < 0 || (positive && ms === 0)) {
      ctx.issues.push({ code: 'custom', message: error({ input: v }), input: v });
      return z.NEVER;
    }
    return ms;
  });
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A union told apart by which key is present (`{queue}`, `{menu}`, …). Zod's
 * own union would report "invalid input" for `{queue: 5}`; picking the branch
 * first keeps the precise message and path of that branch.
 */
export function keyed<T>(help: string, branches: () => Record<string, z.ZodType<T, unknown>>): z.ZodType<T, unknown> {
  let table: Record<string, z.ZodType<T, unknown>> | undefined;
  return z.unknown().transform((input, ctx): T => {
    table ??= branches();
    const branch = isMapping(input) ? Object.entries(table).find(([k]) => k in input)?.[1] : undefined;
    if (!branch || !isMapping(input)) {
      ctx.issues.push({ code: 'custom', message: `expected ${help}, got ${show(input)}`, input });
      return z.NEVER;
    }
    const r = branch.safeParse(input);
    if (r.success) return r.data;
    // Re-raise the branch's issues (paths are relative, the parent prefixes them);
    // unknown keys keep their code so loadConfig can give each key its own path.
    for (const iss of r.error.issues) {
      const { path, message } = iss;
      if (iss.code === 'unrecognized_keys') ctx.issues.push({ code: 'unrecognized_keys', keys: iss.keys, path, message, input });
      else ctx.issues.push({ code: 'custom', path, message, input });
    }
    return z.NEVER;
  });
}


/**
 * Argument parsing shared by the `ccgate` commands (node:util parseArgs in
 * strict mode), and the contract of a command group kept in its own module
 * (`counter`, `board`, …): main.ts lists them in one table and hands each the
 * arguments after its name.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ApiClient } from '../api/ApiClient.ts';
import { isCcgateError } from '../../gateway/core/errors.ts';
import type { CliIo } from './clientCommands.ts';
import { fromParseArgsError, UsageError } from './usage.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** The flag every command talking to the daemon takes. */
export const SOCKET: Options = { socket: { type: 'string' } };

/** What a command group gets from main(). */
export interface CommandEnv {
  io: CliIo;
  /** Resolve a path given on the command line against the working directory. */
  path(p: string): string;
  /** A client for the daemon named by --socket, else $CCGATE_SOCKET, else the default. */
  client(values: Values): ApiClient;
}

/**
 * A command group: `args` are the words after the command name. Resolves to
 * the exit code; throws UsageError (exit 2) for bad arguments, anything else
 * is reported by main() as a runtime failure (exit 1).
 */
export type Subcommand = (args: string[], env: CommandEnv) => Promise<number>;

/** parseArgs in strict mode; at most `maxPositionals` positionals, errors as UsageError naming the flag. */
export function parse(command: string, args: string[], options: Options, maxPositionals: number): { values: Values; positionals: string[] } {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (e) {
    throw fromParseArgsError(e, command);
  }
  const extra = parsed.positionals.slice(maxPositionals);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])} for \`ccgate ${command}\``, command);
  return parsed;
}

/** A string flag's value, or undefined (absent, or a boolean flag). */
export function str(v: Values[string]): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A required, non-blank string flag. */
export function required(command: string, values: Values, flag: string, what: string): string {
  const v = str(values[flag]);
  if (v === undefined || v.trim() === '') throw new UsageError(`${command}: missing --${flag} ${what}`, command);
  return v;
}

/** Refuse flags given to an action they do not apply to: `--json only applies to \`counter list\``. */
export function onlyFor(command: string, values: Values, flags: readonly string[], action: string): void {
  const stray = flags.find((k) => values[k] !== undefined);
  if (stray) throw new UsageError(`--${stray} only applies to \`${command} ${action}\``, command);
}

/** Run a core rule on a CLI argument; its refusal becomes a usage error (exit 2). */
export function usageCheck<T>(command: string, prefix: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (isCcgateError(e)) throw new UsageError(`${prefix}${e.message}`, command);
    throw e;
  }
}

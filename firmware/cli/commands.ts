/**
 * The long-running commands (`run`, `demo`, `simulate`) live in their own
 * modules; main.ts reaches them through this table so tests can inject fakes
 * and so `ccgate status` does not load the daemon, SQLite and the drivers.
 *
 * Each module exports one function taking its options and resolving to the
 * exit code: `runCommand(RunOptions)` in firmware/daemon/runCommand.ts,
 * `demoCommand(DemoOptions)` in firmware/daemon/demoCommand.ts,
 * `simulateCommand(SimulateOptions)` in firmware/sim/simulateCommand.ts.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandEnv } from './args.ts';

/** Options of `ccgate run --config FILE`. */
export interface RunOptions {
  /** Absolute path of the YAML configuration (the CLI resolves it against the working directory). */
  configPath: string;
}

/** Options of `ccgate demo`. */
export interface DemoOptions {
  /** Absolute path of a YAML configuration, or null for the built-in demo site. */
  configPath: string | null;
  /** Virtual milliseconds per real millisecond, > 0 (1 = real time, 60 = one virtual minute per second). Default 60. */
  speed: number;
  /** Stop after this many virtual minutes (> 0); null = run until interrupted (Ctrl-C). */
  minutes: number | null;
  /** The trunks are fake GSM modems on pseudo-terminals, driven through the real modem driver. */
  modemPty: boolean;
  /** The trunk is one simulated E1 span through the real E1 driver on a pseudo-terminal (firmware/demo/demoSpan.ts). */
  e1?: boolean;
  /** Absolute path of a folder keeping the demo's database, queue_log and socket, to resume from; absent = a fresh temporary folder. */
  dataDir?: string;
}

/** Options of `ccgate simulate`: a seeded virtual-time run of the queue engine (FakeClock), compared with Erlang C/A. */
export interface SimulateOptions {
  /** Mean arrival rate λ, calls per hour (> 0); Poisson arrivals. */
  callsPerHour: number;
  /** Mean handle time, seconds (> 0); exponential. */
  ahtSec: number;
  /** Identical always-available agents, integer ≥ 1. */
  agents: number;
  /** Mean caller patience, seconds (> 0, exponential: Erlang A); null = callers never abandon (Erlang C). */
  patienceSec: number | null;
  /** Simulated duration, hours (> 0). Default 8. */
  hours: number;
  /** PRNG seed, integer ≥ 0; the same seed gives the same run. Default 1. */
  seed: number;
  /** Print the result as JSON instead of a table. */
  json: boolean;
}

/** Implementations of the long-running commands; each resolves to the process exit code. */
export type CommandHandlers = {
  run(opts: RunOptions): Promise<number>;
  demo(opts: DemoOptions): Promise<number>;
  simulate(opts: SimulateOptions): Promise<number>;
};

/** A command whose module is missing from this build. */
export class CommandUnavailableError extends Error {
  constructor(
    readonly command: string,
    cause: unknown,
  ) {
    super(`\`ccgate ${command}\` is not available in this build`, { cause });
    this.name = 'CommandUnavailableError';
  }
}

/**
 * The extension of this module's own file: `.ts` from the sources (tsx),
 * `.js` in the compiled build (dist/). The command modules sit beside it with
 * the same one; tsc rewrites `.ts` in import specifiers it can see, not in a
 * URL built at run time.
 */
const OWN_EXTENSION = extname(fileURLToPath(import.meta.url));

/**
 * Import `relative` (to this file, written with `.ts`, which becomes this
 * module's own extension) and return its export `name` as a command
 * function. The path is a runtime URL, not a literal, so the type checker
 * does not require the module to exist while it is being written.
 */
async function load<O>(command: string, relative: string, name: string): Promise<(opts: O) => Promise<number>> {
  const url = new URL(relative.replace(/\.ts$/, OWN_EXTENSION), import.meta.url);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url.href)) as Record<string, unknown>;
  } catch (e) {
    // Only the command module itself missing means "not in this build"; a
    // missing import inside it is a real bug and must surface as it is.
    const missing = (e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(fileURLToPath(url));
    if (missing) throw new CommandUnavailableError(command, e);
    throw e;
  }
  const fn = mod[name];
  if (typeof fn !== 'function') throw new CommandUnavailableError(command, new TypeError(`${relative} does not export ${name}()`));
  // Checked to be a function above; its parameter type is the contract documented on the options types.
  const typed = fn as (opts: O) => Promise<number>;
  return (opts) => typed(opts);
}

/** The production table: dynamic imports of firmware/daemon and firmware/sim. */
export const defaultHandlers: CommandHandlers = {
  run: async (opts) => (await load<RunOptions>('run', '../daemon/runCommand.ts', 'runCommand'))(opts),
  demo: async (opts) => (await load<DemoOptions>('demo', '../daemon/demoCommand.ts', 'demoCommand'))(opts),
  simulate: async (opts) => (await load<SimulateOptions>('simulate', '../sim/simulateCommand.ts', 'simulateCommand'))(opts),
};

/** Arguments of `ccgate store info|compact` (firmware/cli/storeCommand.ts): the words after `store`, and main()'s environment. */
export interface StoreInvocation {
  args: string[];
  env: CommandEnv;
}

/**
 * `ccgate store info|compact`: a command group (args.ts) loaded on use, like the table above, because it opens
 * SQLite; main.ts lists it in SUBCOMMANDS as `store: storeSubcommand`.
 */
export async function storeSubcommand(args: string[], env: CommandEnv): Promise<number> {
  return (await load<StoreInvocation>('store', './storeCommand.ts', 'storeCommand'))({ args, env });
}

/** Arguments of `ccgate fleet watch` (firmware/fleet/watchCommand.ts): the words after `fleet`, and main()'s environment. */
export interface FleetInvocation {
  args: string[];
  env: CommandEnv;
}

/**
 * `ccgate fleet watch`: a command group loaded on use, like `store`, because it loads MQTT.js;
 * main.ts lists it in SUBCOMMANDS as `fleet: fleetSubcommand`.
 */
export async function fleetSubcommand(args: string[], env: CommandEnv): Promise<number> {
  return (await load<FleetInvocation>('fleet', '../fleet/watchCommand.ts', 'fleetCommand'))({ args, env });
}

/**
 * `ccgate` command line: parses arguments (node:util parseArgs), dispatches
 * to the long-running commands through an injectable table, to the
 * daemon-client commands and to the command groups kept in their own modules
 * (SUBCOMMANDS), and turns errors into exit codes:
 * 0 ok, 1 runtime failure (`error [CODE]: message`), 2 bad arguments.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodedError } from '../../gateway/core/errors.ts';
import { ApiClient } from '../api/ApiClient.ts';
import { DEFAULT_SOCKET_PATH } from '../api/protocol.ts';
import { parse, required, SOCKET, str, type CommandEnv, type Options, type Subcommand, type Values } from './args.ts';
import { boardCommand, counterCommand } from './boardCommands.ts';
import { historyCommand } from './historyCommand.ts';
import { callbackCommand, vipCommand } from './vipCommands.ts';
import { agentCommand, campaignCancelCommand, campaignSubmitCommand, statusCommand, type AgentAction, type CliIo } from './clientCommands.ts';
import { CommandUnavailableError, defaultHandlers, fleetSubcommand, storeSubcommand, type CommandHandlers } from './commands.ts';
import { COMMAND_USAGE, MAIN_USAGE, numberFlag, UsageError } from './usage.ts';

/** Everything main() touches outside its arguments, injectable for tests. */
export interface MainDeps {
  handlers: CommandHandlers;
  io: CliIo;
  /** Base for relative paths (--config, --socket, campaign files). */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Command groups kept in their own modules, each given the words after its
 * name (see args.ts). A new group is one entry here plus its usage text.
 */
const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  counter: counterCommand,
  board: boardCommand,
  // Previews load every display driver and the PNG encoder (about 20 MB of RSS):
  // only `ccgate wallboard` pays for them, never the daemon that runs through this module.
  wallboard: async (args, env) => (await import('./wallboardCommand.ts')).wallboardCommand(args, env),
  history: historyCommand,
  vip: vipCommand,
  callback: callbackCommand,
  store: storeSubcommand,
  fleet: fleetSubcommand,
  // Releases, updates and unit set-up: loaded only when asked for (the daemon never pays for tar, ssh2 or crypto).
  release: async (args, env) => (await import('../release/releaseCommand.ts')).releaseCommand(args, env),
  keys: async (args, env) => (await import('../release/keysCommand.ts')).keysCommand(args, env),
  update: async (args, env) => (await import('../update/updateCommand.ts')).updateCommand(args, env),
  flash: async (args, env) => (await import('../flash/flashCommand.ts')).flashCommand(args, env),
  install: async (args, env) => (await import('../install/installCommand.ts')).installCommand(args, env),
  doctor: async (args, env) => (await import('../doctor/doctorCommand.ts')).doctorCommand(args, env),
};

/** Command groups whose --help text lives in their own module (loaded only when asked for). */
const SELF_HELP: ReadonlySet<string> = new Set(['release', 'keys', 'update', 'flash', 'install', 'doctor']);

const AGENT_ACTIONS: readonly AgentAction[] = ['login', 'logout', 'pause', 'unpause'];

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], deps: Partial<MainDeps> = {}): Promise<number> {
  const d: MainDeps = {
    handlers: deps.handlers ?? defaultHandlers,
    io: deps.io ?? {
      out: (t) => void process.stdout.write(t),
      err: (t) => void process.stderr.write(t),
      columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    },
    cwd: deps.cwd ?? process.cwd(),
    env: deps.env ?? process.env,
  };
  try {
    return await dispatch(argv, d);
  } catch (e) {
    return report(e, d.io);
  }
}

async function dispatch(argv: string[], d: MainDeps): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    d.io.err(MAIN_USAGE);
    return 2;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    const topic = command === 'help' ? rest[0] : undefined;
    // Groups that keep their help beside their code print it themselves.
    if (topic !== undefined && SELF_HELP.has(topic)) return dispatch([topic, '--help'], d);
    if (topic !== undefined && !COMMAND_USAGE[topic]) throw new UsageError(`no help for unknown command ${JSON.stringify(topic)}`);
    d.io.out(topic === undefined ? MAIN_USAGE : (COMMAND_USAGE[topic] ?? MAIN_USAGE));
    return 0;
  }
  if (command === '--version' || command === '-V') {
    d.io.out(version() + '\n');
    return 0;
  }
  if ((rest.includes('--help') || rest.includes('-h')) && COMMAND_USAGE[command]) {
    d.io.out(COMMAND_USAGE[command]);
    return 0;
  }
  const path = (p: string): string => resolve(d.cwd, p);
  const client = (v: Values): ApiClient => new ApiClient(path(str(v.socket) ?? d.env.CCGATE_SOCKET ?? DEFAULT_SOCKET_PATH));
  const group = Object.hasOwn(SUBCOMMANDS, command) ? SUBCOMMANDS[command] : undefined;
  if (group) {
    const env: CommandEnv = { io: d.io, path, client };
    return group(rest, env);
  }

  switch (command) {
    case 'run': {
      const { values } = parse(command, rest, { config: { type: 'string' } }, 0);
      const config = required(command, values, 'config', 'FILE (the YAML configuration)');
      return d.handlers.run({ configPath: path(config) });
    }
    case 'demo': {
      const { values } = parse(command, rest, { config: { type: 'string' }, speed: { type: 'string' }, minutes: { type: 'string' }, 'modem-pty': { type: 'boolean' }, e1: { type: 'boolean' }, data: { type: 'string' } }, 0);
      const modemPty = values['modem-pty'] === true;
      const e1 = values.e1 === true;
      if (modemPty && e1) throw new UsageError('--modem-pty and --e1 are two different trunk sets: choose one', command);
      const config = str(values.config);
      const speed = str(values.speed);
      const minutes = str(values.minutes);
      const data = str(values.data);
      return d.handlers.demo({
        configPath: config === undefined ? null : path(config),
        // Fake modems answer through real serial ports: the driver's timeouts run on the demo clock,
        // so a gentler default keeps them far above the PTY round trip.
        speed: speed === undefined ? (modemPty || e1 ? 10 : 60) : numberFlag(command, 'speed', speed),
        minutes: minutes === undefined ? null : numberFlag(command, 'minutes', minutes),
        modemPty,
        ...(e1 ? { e1 } : {}),
        ...(data === undefined ? {} : { dataDir: path(data) }),
      });
    }
    case 'simulate': {
      const opts = { 'calls-per-hour': 'string', aht: 'string', agents: 'string', patience: 'string', hours: 'string', seed: 'string', json: 'boolean' } as const;
      const { values } = parse(command, rest, Object.fromEntries(Object.entries(opts).map(([k, type]) => [k, { type }])), 0);
      const patience = str(values.patience);
      const hours = str(values.hours);
      const seed = str(values.seed);
      return d.handlers.simulate({
        callsPerHour: numberFlag(command, 'calls-per-hour', required(command, values, 'calls-per-hour', 'N (calls per hour)')),
        ahtSec: numberFlag(command, 'aht', required(command, values, 'aht', 'S (mean handle time, seconds)')),
        agents: numberFlag(command, 'agents', required(command, values, 'agents', 'N (number of agents)'), { integer: true }),
        patienceSec: patience === undefined ? null : numberFlag(command, 'patience', patience),
        hours: hours === undefined ? 8 : numberFlag(command, 'hours', hours),
        seed: seed === undefined ? 1 : numberFlag(command, 'seed', seed, { integer: true, allowZero: true }),
        json: values.json === true,
      });
    }
    case 'status': {
      const { values } = parse(command, rest, { json: { type: 'boolean' }, ...SOCKET }, 0);
      return statusCommand(client(values), { json: values.json === true }, d.io);
    }
    case 'agent': {
      const { values, positionals } = parse(command, rest, { reason: { type: 'string' }, ...SOCKET }, 2);
      const [action, id] = positionals;
      if (!isAgentAction(action)) throw new UsageError(`expected an action (${AGENT_ACTIONS.join(', ')}), got ${JSON.stringify(action ?? '')}`, command);
      if (id === undefined || id === '') throw new UsageError(`agent ${action}: missing the agent ID`, command);
      const reason = str(values.reason);
      if (action === 'pause' && (reason === undefined || reason.trim() === '')) throw new UsageError('agent pause: missing --reason TEXT (why the agent is paused)', command);
      if (action !== 'pause' && reason !== undefined) throw new UsageError(`--reason only applies to \`agent pause\`, not \`agent ${action}\``, command);
      return agentCommand(client(values), action, id, reason ?? null, d.io);
    }
    case 'campaign':
      return campaign(rest, d, path, client);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

async function campaign(rest: string[], d: MainDeps, path: (p: string) => string, client: (v: Values) => ApiClient): Promise<number> {
  const command = 'campaign';
  const options: Options = { name: { type: 'string' }, prompt: { type: 'string' }, 'max-concurrent': { type: 'string' }, 'calls-per-minute': { type: 'string' }, 'agent-queue': { type: 'string' }, sms: { type: 'string' }, ...SOCKET };
  const { values, positionals } = parse(command, rest, options, 2);
  const [action, arg] = positionals;
  if (action === 'cancel') {
    if (arg === undefined) throw new UsageError('campaign cancel: missing the campaign ID', command);
    const stray = ['name', 'prompt', 'max-concurrent', 'calls-per-minute', 'agent-queue', 'sms'].find((k) => values[k] !== undefined);
    if (stray) throw new UsageError(`--${stray} only applies to \`campaign submit\``, command);
    return campaignCancelCommand(client(values), arg, d.io);
  }
  if (action !== 'submit') throw new UsageError(`expected an action (submit, cancel), got ${JSON.stringify(action ?? '')}`, command);
  if (arg === undefined) throw new UsageError('campaign submit: missing the target file (FILE.csv or FILE.json)', command);
  const maxConcurrent = str(values['max-concurrent']);
  const perMinute = str(values['calls-per-minute']);
  const agentQueue = str(values['agent-queue']);
  const sms = str(values['sms']);
  return campaignSubmitCommand(
    client(values),
    {
      file: path(arg),
      name: required(command, values, 'name', 'NAME (the campaign name)'),
      prompt: required(command, values, 'prompt', 'PROMPT (the prompt played to each target)'),
      ...(maxConcurrent === undefined ? {} : { maxConcurrent: numberFlag(command, 'max-concurrent', maxConcurrent, { integer: true }) }),
      ...(perMinute === undefined ? {} : { callsPerMinute: numberFlag(command, 'calls-per-minute', perMinute) }),
      ...(agentQueue === undefined ? {} : { agentQueue }),
      ...(sms === undefined ? {} : { sms }),
    },
    d.io,
  );
}

function isAgentAction(a: string | undefined): a is AgentAction {
  return AGENT_ACTIONS.some((x) => x === a);
}

function report(e: unknown, io: CliIo): number {
  if (e instanceof UsageError) {
    const own = e.command !== null && COMMAND_USAGE[e.command] === undefined && SELF_HELP.has(e.command);
    const help = own ? `\nRun \`ccgate help ${e.command}\` for its options.\n` : e.command ? `\n${COMMAND_USAGE[e.command] ?? ''}` : '\nRun `ccgate help` for the list of commands.\n';
    io.err(`ccgate: ${e.message}\n${help}`);
    return 2;
  }
  // The core's errors and the tools' (releases, updates, flashing) alike.
  if (e instanceof CodedError) {
    io.err(`error [${e.code}]: ${e.message}\n`);
    return 1;
  }
  if (e instanceof CommandUnavailableError) {
    io.err(`error: ${e.message}\n`);
    return 1;
  }
  io.err(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 1;
}

/**
 * The package's version, from the nearest package.json above this module: the
 * repository's own, whether this runs from the sources (firmware/cli/main.ts)
 * or compiled (dist/firmware/cli/main.js), as wallboard/fonts/fontFiles.ts finds its files.
 */
function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
  return `ccgate ${pkg.version ?? 'unknown'}`;
}

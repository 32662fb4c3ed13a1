/**
 * Help texts and argument errors of the `ccgate` command line. A UsageError
 * is the caller's mistake: it names the flag and what was expected and exits
 * with status 2 (the convention of getopt-based tools), unlike runtime
 * failures (status 1).
 */

/** Bad command-line arguments; `command` selects the help shown with it. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: string | null = null,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One-screen overview for `ccgate help`. */
export const MAIN_USAGE = `ccgate — call-centre gateway

Usage: ccgate <command> [options]

Commands:
  run --config FILE            run the gateway daemon
  demo [--config FILE] [--speed N] [--minutes N] [--data DIR]
                               run the whole appliance on simulated trunks, with a live dashboard
  status [--json]              show queues, agents and KPIs of the running daemon
  simulate --calls-per-hour N --aht S --agents N [--patience S] [--hours H] [--seed N] [--json]
                               simulate a queue in virtual time and compare with Erlang C/A
  agent login|logout|unpause ID
  agent pause ID --reason TEXT change an agent's state
  campaign submit FILE.csv|FILE.json --name NAME --prompt PROMPT
                               start an outbound campaign
  campaign cancel ID           stop a campaign
  counter set NAME VALUE       set an external counter (emails, chats…) for the wallboards
  counter list [--json]        list the external counters and when each was set
  board say TEXT [--for DURATION] [--critical]
                               show a message on every wallboard (default for 10m)
  board clear                  take the wallboard message down
  wallboard preview [--board ID] [--png DIR]
                               draw what every configured board shows now (terminal, PNG)
  history NUMBER [--json]      a caller's calls, oldest first: IVR, queue, agent, callbacks, survey, SMS
  vip list [--json]            list the VIP callers (seeded from the YAML, changed at runtime)
  vip add NUMBER [--priority N] [--name TEXT]
                               make a number a VIP, or change one (from then on the YAML leaves it alone)
  vip remove NUMBER            stop treating a number as a VIP (stays removed whatever the YAML says)
  callback cancel ID           cancel a pending callback (takes it out of its queue)
  store info [--json]          the database on the card: size, pages, free pages, rows per table
  store compact [--page-size N] [--dry-run]
                               rebuild the database with the daemon stopped, giving back free pages
  release build|sign|verify|keygen
                               make and sign a release bundle (docs/releases.md)
  keys list|trust|sign-op|apply
                               the release keys a unit trusts; adding and revoking is signed
  flash BUNDLE HOST... | --units FILE
                               install a release on units over SSH, rolled back if unhealthy (docs/flashing.md)
  update apply BUNDLE|rollback|status|recover
                               on the unit: install a release (USB stick), switch back, show releases
  install [--root DIR] [--trust-key FILE] [--dry-run]
                               on the unit: the ccgate user, directories, systemd units, udev rules, config skeleton
  doctor [--root DIR] [--json]
                               on the unit: check the service, release, config, ports, ModemManager, disk and clock
  fleet watch --broker URL [--tenant T] [--json] [--for SEC]
                               headquarters: every unit's state, outbox lag, queue figures and alarms (docs/cloud-sync.md)
  help [COMMAND]               show help (also --help); --version prints the version

Commands talking to the daemon take --socket PATH (default $CCGATE_SOCKET, else var/ccgate.sock).
\`store\` works on the database file itself: --config FILE names the site (default store.path var/ccgate.db).
`;

/** Detailed help per command. */
export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  run: `Usage: ccgate run --config FILE

  --config FILE   YAML configuration of this site (required)
`,
  demo: `Usage: ccgate demo [--config FILE] [--speed N] [--minutes N] [--data DIR] [--modem-pty | --e1]

  --config FILE   YAML configuration (default: the built-in demo site)
  --speed N       virtual time runs N times faster than real time, N > 0 (default 60; 10 with --modem-pty or --e1)
  --minutes N     stop after N virtual minutes (default: run until Ctrl-C)
  --data DIR      keep the database, queue_log, logs and API socket in DIR (created if missing)
                  instead of a fresh temporary folder; a demo stopped or killed there resumes
                  where it was: same data, agents as they were, virtual time going on from
                  the last moment it was known alive (status: ccgate status --socket DIR/ccgate.sock)
  --modem-pty     the trunks are four fake GSM modems (SIM800, SIM7600, Quectel EC25, Huawei)
                  on pseudo-terminals, driven through the real modem driver (needs socat)
  --e1            the trunk is one E1 PRI span (30 channels) through the real E1 driver on a
                  pseudo-terminal, its network end libpri's test harness when the tests have built
                  it, else ccgate's own; keys read by simulated MT8870 decoders (needs socat)
`,
  status: `Usage: ccgate status [--json] [--socket PATH]

  --json          print the raw snapshot and KPIs as JSON
  --socket PATH   the daemon's API socket
`,
  simulate: `Usage: ccgate simulate --calls-per-hour N --aht S --agents N [options]

  --calls-per-hour N   mean arrival rate, calls per hour (> 0)
  --aht S              mean handle time, seconds (> 0)
  --agents N           number of agents (integer >= 1)
  --patience S         mean caller patience, seconds (> 0; default: callers never abandon)
  --hours H            simulated hours (> 0, default 8)
  --seed N             random seed (integer >= 0, default 1)
  --json               print JSON
`,
  agent: `Usage: ccgate agent login|logout|unpause ID [--socket PATH]
       ccgate agent pause ID --reason TEXT [--socket PATH]
`,
  campaign: `Usage: ccgate campaign submit FILE.csv|FILE.json --name NAME --prompt PROMPT [options] [--socket PATH]
       ccgate campaign cancel ID [--socket PATH]

  FILE                  CSV with a header row (number, optional message) or a JSON array
  --name NAME           campaign name (required)
  --prompt PROMPT       prompt played to each target (required)
  --max-concurrent N    calls in progress at once (integer >= 1)
  --calls-per-minute N  dialling rate limit (> 0)
  --agent-queue Q       queue for "press 1 to speak to an agent"
  --sms TEXT            SMS to a target not reached after its last attempt ({message}: its message)
`,
  counter: `Usage: ccgate counter set NAME VALUE [--socket PATH]
       ccgate counter list [--json] [--socket PATH]

  NAME            lower-case letter, then up to 31 of a-z, 0-9, _ or - (e.g. email, whatsapp)
  VALUE           whole number from 0 to 1000000000
  --json          list as JSON: name, value, source and when it was set (epoch ms)

  Boards show a counter not set again within their freshness limit as "--".
`,
  board: `Usage: ccgate board say TEXT [--for DURATION] [--critical] [--socket PATH]
       ccgate board clear [--socket PATH]

  TEXT            the message, one argument (quote it): 1 to 160 characters, one line
  --for DURATION  how long it stays up, 1s to 24h, e.g. 30s, 10m, 1h30m (default 10m)
  --critical      critical level: signs that can, beep
  A new message replaces the one on show.
`,
  history: `Usage: ccgate history NUMBER [--json] [--socket PATH]

  NUMBER          the caller's number in any form: +98912…, 0098912…, 0912… find the same calls
  --json          print the history as JSON (times in epoch ms, durations in ms)

  One line per call, oldest first, times in the site's time zone: IVR path, queue, wait and talk
  (mm:ss), agent, outcome, callbacks booked on the call, survey score and SMS. Calls are kept
  history.keepDays days (default 90). A withheld caller cannot be looked up.
`,
  vip: `Usage: ccgate vip list [--json] [--socket PATH]
       ccgate vip add NUMBER [--priority N] [--name TEXT] [--socket PATH]
       ccgate vip remove NUMBER [--socket PATH]

  NUMBER          the caller's number in any form: +98912…, 0098912…, 0912… are one VIP
  --priority N    whole number >= 1, higher goes first; ordinary callers are 0 (default 1)
  --name TEXT     a label shown in the list, 1 to 64 characters
  --json          list as JSON: canonical number, number as given, priority, name, source, when set (epoch ms)

  The YAML's \`vip:\` list is applied at every start; a VIP added, changed or removed here (or by the
  cloud) is left alone by it from then on. \`add\` sets the whole entry: a priority or name not given
  goes back to 1 and none. A change counts for callers entering a queue from then on.
`,
  callback: `Usage: ccgate callback cancel ID [--socket PATH]

  ID              the callback's id, e.g. cb12 (ccgate status --json, the event stream, ccgate history)

  A pending callback leaves its queue and is finished as canceled. One being dialled right now
  is refused (CALLBACK_DIALLING): run the command again once the attempt is over.
`,
  store: `Usage: ccgate store info [--config FILE] [--json]
       ccgate store compact [--config FILE] [--page-size N] [--dry-run] [--json]

  info            size on the card (database + WAL), page size and count, free pages,
                  auto_vacuum, schema version, rows per table; read-only, fine while the daemon runs
  compact         rebuild the database file, giving back the pages pruning freed, and check the
                  copy (integrity, schema version, rows per table) before it replaces the original.
                  The daemon must be stopped; the card needs room for a copy plus a margin.
                  Safe to interrupt (power cut included): run it again
  --config FILE   the site's YAML, for store.path (default ./var/ccgate.db; relative paths are
                  taken from the current folder, as the daemon takes them from its own)
  --page-size N   page size of the rebuilt file, bytes: 512, 1024, … 65536 (default 512:
                  the fewest bytes a commit writes, see docs/storage.md)
  --dry-run       check and show what compact would do; change nothing
  --json          print the report as JSON (sizes in bytes, durations in ms)
`,
  fleet: `Usage: ccgate fleet watch --broker URL [options]

  Watches every unit publishing to the broker (their retained state and kpi topics) and keeps
  one row per unit: online, offline or stale, outbox lag (events not yet delivered to the cloud
  and the age of the oldest), calls waiting, agents available, today's service level, alarms.
  --broker URL          mqtt://host:1883 or mqtts://host:8883 (MQTT 5, else 3.1.1)
  --tenant T            only this tenant's units (default: every tenant)
  --json                one JSON line per changed unit row; at the end a {"summary": …} line
                        with every row and the count of invalid payloads ignored
  --for SEC             stop after SEC seconds (default 0: run until Ctrl-C)
  --stale SEC           a unit whose last kpi is older than SEC seconds is stale (default 3× its
                        own KPI period once seen, else 60); brokers do not always publish a will
  --username U          account on the broker, with --password P or --password-file F (first line)
  --ca FILE             PEM of the CA that signed the broker's certificate
  --cert FILE --key FILE
                        client certificate and its key, for brokers that require one
`,
  wallboard: `Usage: ccgate wallboard preview [--board ID] [--png DIR] [--socket PATH]

  Draws what every board of the running daemon (or ccgate demo) shows right now:
  LED boards through their driver onto its simulator, exactly as the hardware
  receives it, web boards as text lines. Also prints each board's health.
  --board ID      only this board
  --png DIR       also write DIR/<board>.png
`,
};

/** Parse a number flag: finite, > 0 (or >= 0 with `allowZero`), integral when `integer`. */
export function numberFlag(command: string, flag: string, raw: string, rule: { integer?: boolean; allowZero?: boolean } = {}): number {
  const what = `${rule.integer ? 'an integer' : 'a number'} ${rule.allowZero ? '>= 0' : rule.integer ? '>= 1' : '> 0'}`;
  const v = raw.trim() === '' ? Number.NaN : Number(raw);
  const ok = Number.isFinite(v) && (rule.allowZero ? v >= 0 : v > 0) && (!rule.integer || Number.isInteger(v));
  if (!ok) throw new UsageError(`--${flag}: expected ${what}, got ${JSON.stringify(raw)}`, command);
  return v;
}

/** Turn a node:util parseArgs error into a UsageError naming the flag. */
export function fromParseArgsError(e: unknown, command: string): UsageError {
  const err = e as NodeJS.ErrnoException;
  const flag = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1] ?? '';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option ${flag} for \`ccgate ${command}\``, command);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (err.message.includes('does not take')) return new UsageError(`option ${flag} does not take a value`, command);
      if (err.message.includes('ambiguous')) return new UsageError(`option ${flag} expects a value (write ${flag}=VALUE if the value starts with "-")`, command);
      return new UsageError(`option ${flag} expects a value`, command);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument for \`ccgate ${command}\`: ${err.message}`, command);
    default:
      return new UsageError(err.message, command);
  }
}

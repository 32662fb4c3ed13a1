import { z } from 'zod';
import { e1Trunk } from './e1Schema.ts';
import type { IvrAction, EmptyRule, IvrConfig, QueueConfig, Strategy } from '../../gateway/config/types.ts';
import { isValidTimeZone } from '../../gateway/core/localTime.ts';
import { parseInterval } from '../../gateway/ivr/schedule.ts';
import { expected, show } from './messages.ts';
import { crossCheck } from './references.ts';
import { historySection, language, numbering, queueSms, smsSection, smsSurvey } from './smsSchema.ts';
import { syncSection } from './syncSchema.ts';
import { wallboardSection } from './wallboardSchema.ts';
import type { CcgateConfig } from './CcgateConfig.ts';
import { bool, duration, HOUR, keyed, MINUTE, name, obj, oneOf, phone, SECOND, text, whole } from './fields.ts';

/**
 * The YAML configuration schema: its output is exactly {@link GatewayConfig}
 * with every default filled in, so an empty file gives a working one-queue
 * site. Every schema carries its own "expected …, got …" message, which is what
 * `ConfigError` shows next to the key path. Durations accept milliseconds
 * or `'30s'`-style strings under the same key names as types.ts.
 *
 * Defaults follow docs/kpis.md "Defaults of the configuration" (app_queue, Cisco UCCX);
 * where we deviate, the comment says why.
 *
 * @module
 */

const ivrAction: z.ZodType<IvrAction, unknown> = keyed<IvrAction>(
  'an action: {queue: name}, {menu: name}, {hangup: true} or {play: prompt, then: action}',
  () => ({
    queue: obj({ queue: text('a queue name') }),
    menu: obj({ menu: text('a menu name') }),
    hangup: obj({ hangup: z.literal(true, { error: expected('true') }), prompt: text('a prompt id').optional() }),
    play: obj({ play: text('a prompt id'), then: ivrAction }),
  }),
);

const overflow: z.ZodType<QueueConfig['overflow'], unknown> = keyed<QueueConfig['overflow']>(
  'an overflow: {queue: name}, {callbackOffer: true} or {hangup: true}',
  () => ({
    queue: obj({ queue: text('a queue name') }),
    callbackOffer: obj({ callbackOffer: z.literal(true, { error: expected('true') }) }),
    hangup: obj({ hangup: z.literal(true, { error: expected('true') }) }),
  }),
);

const intervalError = expected(`"HH:MM-HH:MM" in site time (end may be 24:00; 22:00-02:00 runs past midnight)`);
const interval = z.string({ error: intervalError }).refine((s) => parseInterval(s) !== null, { error: intervalError });
/** One interval may be written without the list brackets. */
const dayHours = z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(interval, { error: intervalError })).optional();

const dateError = expected('a date YYYY-MM-DD in site time');
const isDate = (s: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m !== null && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().startsWith(s);
};

const schedule = obj({
  weekly: obj({ mon: dayHours, tue: dayHours, wed: dayHours, thu: dayHours, fri: dayHours, sat: dayHours, sun: dayHours }),
  holidays: z.array(z.string({ error: dateError }).refine(isDate, { error: dateError }), { error: dateError }).default(() => []),
});

const dtmfKeys = z.string().regex(/^[0-9*#]+$/, { error: expected(`DTMF keys 0-9, * or # (quote '*' and '#' in YAML)`) });

const menu = obj({
  prompt: text('a prompt id'),
  language: language().optional(),
  schedule: text('a schedule name').optional(),
  closed: ivrAction.optional(),
  options: z.record(dtmfKeys, ivrAction, { error: expected('a mapping of keys to actions') }).default(() => ({})),
  // Asterisk's dialplan waits 10 s for a response and 5 s between digits; a short
  // menu prompt followed by 10 s of silence sounds broken, so 5 s and 3 s.
  firstDigitTimeoutMs: duration(true).default(5 * SECOND),
  interDigitTimeoutMs: duration(true).default(3 * SECOND),
  maxDigits: whole(1, 20).default(1),
  retries: whole(0, 10).default(3),
  invalidPrompt: text('a prompt id').default('ivr-invalid'),
  timeoutPrompt: text('a prompt id').default('ivr-timeout'),
  onFailure: ivrAction.default(() => ({ hangup: true as const, prompt: 'goodbye' })),
});

const STRATEGIES = ['longestIdle', 'roundRobin', 'fewestCalls', 'ringAllInOrder', 'random'] as const satisfies readonly Strategy[];

const EMPTY_RULES = ['off', 'noneLoggedIn', 'noneUnpaused'] as const satisfies readonly EmptyRule[];

const queue = obj({
  /** Display name; defaults to the key. */
  name: text().optional(),
  // mod_callcenter's default; app_queue's ringall would ring every GSM handset at once.
  strategy: oneOf(STRATEGIES).default('longestIdle'),
  ringTimeoutMs: duration(true).default(15 * SECOND), // app_queue `timeout` default
  // app_queue's wrapuptime default is 0 (softphones have an ACW button); agents on
  // mobile handsets need a moment to note the call before the next one rings.
  wrapUpMs: duration().default(10 * SECOND),
  // app_queue autopause=no; FreeSWITCH max-no-answer 3: a handset left on a desk
  // should stop eating every caller's ring timeout.
  autoPauseAfter: whole(0).default(3),
  maxWaitMs: duration().default(0),
  overflow: overflow.default(() => ({ hangup: true as const })), // only used when maxWaitMs > 0
  weight: whole(0).default(0),
  announce: obj({
    everyMs: duration().default(60 * SECOND),
    position: bool().default(true),
    estimatedWait: bool().default(true),
  }).prefault({}),
  holdPrompt: text('a prompt id').default('queue-hold'),
  callback: obj({
    enabled: bool().default(true),
    offerAtPosition: whole(0).default(7),
    offerAtEstimatedWaitMs: duration().default(0),
    mode: oneOf(['agentFirst', 'customerFirst']).default('agentFirst'),
    attempts: whole(1, 10).default(3), // Cisco UCCX maxDialAttempts default
    retryGapMs: duration().default(2 * MINUTE),
    ringTimeoutMs: duration(true).default(30 * SECOND),
    expiryMs: duration(true).default(4 * HOUR),
    schedule: text('a schedule name').optional(),
    withheld: oneOf(['skip', 'askNumber']).default('skip'),
  }).prefault({}),
  survey: obj({
    enabled: bool().default(true),
    prompt: text('a prompt id').default('survey-question'),
    thanksPrompt: text('a prompt id').default('survey-thanks'),
    timeoutMs: duration(true).default(10 * SECOND),
    sms: smsSurvey,
  }).prefault({}),
  sms: queueSms,
  agentCallbackWaitMs: duration().default(60 * SECOND),
  // app_queue joinempty / leavewhenempty. Paused members count as present by
  // default (a break ends); nobody logged in means nobody will come.
  joinEmpty: oneOf(EMPTY_RULES).default('noneLoggedIn'),
  leaveWhenEmpty: oneOf(EMPTY_RULES).default('noneLoggedIn'),
  leaveEmptyAfterMs: duration().default(0),
});

/** An agent's queue: `flights` or `{queue: flights, penalty: 2}`. */
const agentQueue = z.preprocess(
  (v) => (typeof v === 'string' ? { queue: v } : v),
  obj({ queue: text('a queue name'), penalty: whole(0).default(0) }, 'a queue name or {queue: name, penalty: n}'),
);

const agent = obj({
  id: name('an agent id'),
  name: text().optional(),
  endpoint: phone(),
  queues: z.array(agentQueue, { error: expected('a list of queues') }).min(1, { error: expected('at least one queue') }),
  wrapUpMs: duration().optional(),
}).transform((a) => ({ ...a, name: a.name ?? a.id }));

/** A VIP: `'+98912…'` or `{number, priority, name}`; an unquoted number gets phone()'s quoting hint. */
const vip = z.preprocess(
  (v) => (typeof v === 'string' || typeof v === 'number' ? { number: v } : v),
  obj({ number: phone(), priority: whole(1).default(1), name: text().optional() }, 'a phone number or {number, priority, name}'),
);

const simTrunk = obj({
  id: name('a trunk id'),
  type: z.literal('sim').default('sim'),
  channels: whole(1, 480).default(8),
  bridge: oneOf(['ownChannel', 'sameLine']).default('ownChannel'),
});

const BAUD_RATES = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600] as const;
const modemTrunk = obj({
  id: name('a trunk id'),
  type: z.literal('modem'),
  channels: z.literal(1, { error: expected('1 (a modem is one line)') }).default(1),
  port: text(`a serial device path such as '/dev/serial/by-id/usb-…' or '/dev/ttyUSB2'`),
  baudRate: z
    .number({ error: expected(`a baud rate: one of ${BAUD_RATES.join(', ')}`) })
    .refine((n) => (BAUD_RATES as readonly number[]).includes(n), { error: expected(`a baud rate: one of ${BAUD_RATES.join(', ')}`) })
    .default(115200),
  autoBaud: bool().default(true),
  rtscts: bool().default(false),
  family: oneOf(['auto', 'sim800', 'sim7600', 'quectel', 'huawei', 'generic']).default('auto'),
  connect: oneOf(['conference', 'transfer']).default('conference'),
  audio: obj({
    kind: oneOf(['auto', 'module', 'pcm', 'silent']).default('auto'),
    port: text('a serial device path for the PCM audio tty, or null').nullable().default(null),
    promptDir: text('a folder of prompt files').default('./prompts'),
  }).prefault({}),
  sms: obj({ mode: oneOf(['pdu', 'text']).default('pdu') }).prefault({}),
  dtmfDetect: bool().default(true),
  powerCycle: z.array(text('a command-line word'), { error: expected(`a command as a list of words, e.g. ['uhubctl', '-a', 'cycle', '-p', '2'], or null`) }).min(1, { error: expected('a non-empty command') }).nullable().default(null),
});

/** `type` picks the shape; a mapping without `type` is a simulated trunk. */
const trunk = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && !('type' in v) ? { ...v, type: 'sim' } : v),
  z.discriminatedUnion('type', [simTrunk, modemTrunk, e1Trunk], {
    error: (iss) =>
      iss.code === 'invalid_union' && iss.note === 'No matching discriminator'
        ? `expected type 'sim', 'modem' or 'e1', got ${show((iss.input as Record<string, unknown> | undefined)?.['type'])}`
        : `expected a trunk mapping, got ${show(iss.input)}`,
  }),
);

/**
 * The config file's format version, the top-level `version` key: the highest this release reads.
 * A release that adds keys an older one would refuse raises it, so an older release given the newer
 * file says why instead of listing unknown keys. Each release keeps a copy of the config it last ran
 * with and a rollback restores it (firmware/update/, docs/releases.md), so an older release is never
 * started on a file written for a newer one.
 */
export const CONFIG_VERSION = 1;

const versionError = expected("a whole number ≥ 1 (the config format version)");
const configVersion = z
  .number({ error: versionError })
  .int({ error: versionError })
  .min(1, { error: versionError })
  .refine((v) => v <= CONFIG_VERSION, {
    error: (iss) =>
      `this file was written for a newer release: config format ${show(iss.input)}, this release reads up to ${CONFIG_VERSION} ` +
      '(install that release, or put back the config this release last ran with: the copy kept beside it, opt/ccgate/releases/<version>/config.yaml)',
    abort: true,
  })
  .default(CONFIG_VERSION);

const nullablePath = (fallback: string) => text('a path, or null to disable').nullable().default(fallback);
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
const shareError = expected('a share greater than 0 and at most 1 (0.8 means 80 %)');

const base = obj({
  version: configVersion,
  site: obj({
    name: text().default('ccgate'),
    timeZone: z
      .string({ error: expected(`an IANA time zone such as 'Asia/Tehran'`) })
      .refine(isValidTimeZone, { error: expected(`an IANA time zone such as 'Asia/Tehran'`) })
      .default('UTC'),
    agentCallbackWindowMs: duration().default(30 * MINUTE),
    agentCallbackOffer: oneOf(['ready', 'unpaused', 'loggedIn']).default('unpaused'),
    // systemd's default stop timeout is 90 s; the unit's TimeoutStopSec matches this plus a margin.
    drainMs: duration().default(60 * SECOND),
    language: language().default('en'),
    numbering,
  }).prefault({}),
  schedules: z.record(text('a schedule name'), schedule, { error: expected('a mapping of schedule names') }).default(() => ({})),
  store: obj({ path: text('a path').default('./var/ccgate.db'), groupCommitMs: duration().default(5000) }).prefault({}),
  queueLog: obj({
    path: nullablePath('./var/queue_log'),
    rotate: obj({
      maxMB: z.number({ error: expected('a size in MB, or null') }).positive({ error: expected('a size in MB greater than 0, or null') }).nullable().default(20),
      daily: z.boolean({ error: expected('true or false') }).default(true),
      keep: whole(1, 1000).default(30),
    }).prefault({}),
  }).prefault({}),
  kpi: obj({
    serviceLevelSec: whole(1).default(20), // the 80/20 convention
    serviceLevelTarget: z.number({ error: shareError }).gt(0, { error: shareError }).lte(1, { error: shareError }).default(0.8),
    shortAbandonSec: whole(0).default(5),
    slAbandonTreatment: oneOf(['ignored', 'negative', 'positive']).default('ignored'),
    fcrWindowHours: whole(1).default(24),
  }).prefault({}),
  ivr: obj({
    entry: text('a menu name').default('main'),
    // Digits as the line delivers the dialled number (a DID: often the last few digits); `+` allowed.
    entryByNumber: z.record(z.string({ error: expected('a dialled number of digits') }).regex(/^\+?[0-9*#]{1,32}$/, { error: expected('a dialled number of digits (a DID such as 4455 or 2188776655)') }), text('a menu name'), { error: expected('a mapping of dialled numbers to menu names') }).optional(),
    menus: z.record(text('a menu name'), menu, { error: expected('a mapping of menu names') }).default(() => ({})),
  }).optional(),
  queues: z
    .record(name('a queue name'), queue, { error: expected('a mapping of queue names') })
    .prefault(() => ({ general: { name: 'General' } }))
    .transform((qs) => Object.fromEntries(Object.entries(qs).map(([k, q]) => [k, { ...q, name: q.name ?? k }]))),
  agents: z.array(agent, { error: expected('a list of agents') }).default(() => []),
  vip: z.array(vip, { error: expected('a list of VIP numbers') }).default(() => []),
  trunks: z
    .array(trunk, { error: expected('a list of trunks') })
    .min(1, { error: expected('at least one trunk') })
    .default(() => [{ id: 'sim1', type: 'sim' as const, channels: 8, bridge: 'ownChannel' as const }]),
  campaigns: obj({
    maxConcurrent: whole(1).default(2),
    callsPerMinute: whole(1).default(6),
    schedule: text('a schedule name').optional(),
    attempts: whole(1, 10).default(3),
    retryGapMs: duration().default(10 * MINUTE),
    ringTimeoutMs: duration(true).default(30 * SECOND),
    agentQueue: text('a queue name, or null').nullable().default(null),
    keepFreeLines: whole(0).default(1),
    smsFallback: text('an SMS text, or null').nullable().default(null),
  }).prefault({}),
  api: obj({ socketPath: nullablePath('./var/ccgate.sock') }).prefault({}),
  log: obj({ level: oneOf(LEVELS).default('info') }).prefault({}),
  wallboard: wallboardSection,
  sms: smsSection,
  history: historySection,
  sync: syncSection,
  retention: obj({
    eventsKeepDays: whole(1, 3650).default(7),
    eventsMaxDays: whole(1, 3650).default(30),
    maxDatabaseMB: whole(16, 1_000_000).default(1024),
  })
    .superRefine((r, ctx) => {
      // The hard cap must not cut what the soft rule promises to keep.
      if (r.eventsMaxDays < r.eventsKeepDays) ctx.addIssue({ code: 'custom', path: ['eventsMaxDays'], message: `expected at least eventsKeepDays (${r.eventsKeepDays}): the hard cap cannot be shorter than the retention period` });
    })
    .prefault({}),
});

/** The parsed config before the default IVR is filled in; what cross-reference checks see. */
export type ParsedConfig = z.output<typeof base>;

/** Without an `ivr` section: one menu whose keys 1–9 route to the queues in file order. */
function defaultIvr(queueNames: readonly string[]): IvrConfig {
  const options = Object.fromEntries(queueNames.slice(0, 9).map((q, i) => [String(i + 1), { queue: q }]));
  return { entry: 'main', menus: { main: menu.parse({ prompt: 'main-menu', options }) } };
}

/**
 * The whole configuration. Cross-references (unknown queues, menus,
 * schedules, duplicate ids) are checked only once every section has the right
 * shape, so a file with shape errors reports those first.
 */
export const gatewayConfigSchema: z.ZodType<CcgateConfig, unknown> = base
  .prefault({})
  .superRefine((c, ctx) => crossCheck(c, (path, message) => ctx.addIssue({ code: 'custom', path, message })))
  .transform((c) => ({ ...c, ivr: c.ivr ?? defaultIvr(Object.keys(c.queues)) }));

/**
 * The validated configuration the core runs on. firmware/config parses the
 * YAML file with a schema that produces exactly this shape with every
 * default filled in; the core never sees raw YAML.
 * Durations are milliseconds unless the key says otherwise.
 */
export interface GatewayConfig {
  site: SiteConfig;
  /** Named opening-hours schedules, referenced by IVR menus, callback windows and campaigns. */
  schedules: Record<string, Schedule>;
  store: StoreConfig;
  queueLog: QueueLogConfig;
  kpi: KpiConfig;
  ivr: IvrConfig;
  queues: Record<string, QueueConfig>;
  agents: AgentConfig[];
  vip: VipEntry[];
  trunks: TrunkConfig[];
  campaigns: CampaignDefaults;
  api: { socketPath: string | null };
  /** SMS from the core: confirmations, surveys, campaign fallback, and the manners that bound them. */
  sms: SmsConfig;
  /** A number's history: per-call summaries, kept apart from the event log. */
  history: HistoryConfig;
  /** How long the event log and the finished operational rows are kept, and the hard caps that bound the database. */
  retention: RetentionConfig;
  log: { level: 'trace' | 'debug' | 'info' | 'warn' | 'error' };
}

export interface QueueLogConfig {
  path: string | null;
  /** Rotation as logrotate would: by size and/or at local midnight, keeping `keep` old files (`queue_log.1` newest). */
  rotate: { maxMB: number | null; daily: boolean; keep: number };
}

export interface SiteConfig {
  name: string;
  /** IANA zone, e.g. Asia/Tehran; hours, holidays and hourly KPIs use it. */
  timeZone: string;
  /** Callers re-ringing within this window after a dropped agent call are offered the same agent. */
  agentCallbackWindowMs: number;
  /**
   * Which agent the agent-callback offer may name: 'ready' (available or in
   * wrap-up), 'unpaused' (logged in, not paused and no pause or log-out
   * pending), 'loggedIn'. Otherwise the caller goes straight to the menu.
   */
  agentCallbackOffer: 'ready' | 'unpaused' | 'loggedIn';
  /**
   * On a clean stop (SIGTERM), calls in progress may finish for this long
   * before the rest are ended with their exit lines; no new call is taken.
   */
  drainMs: number;
  /** Language of a call that passed no menu with its own `language` (prompts, SMS and survey texts). */
  language: string;
  /** How numbers are written here, so every form of one number compares equal (gateway/numbers/). */
  numbering: NumberingConfig;
}

/**
 * The site's numbering plan: `+98912…`, `0098912…` and `0912…` are one
 * number in Iran (country code 98, trunk prefix 0, international prefix 00).
 */
export interface NumberingConfig {
  /** Country calling code without `+`, e.g. '98'; null: national numbers are left as written. */
  countryCode: string | null;
  /** National trunk prefix, e.g. '0'. */
  trunkPrefix: string;
  /** International call prefix, e.g. '00'. */
  internationalPrefix: string;
}

/** A text per language, e.g. `{fa: 'جای شما محفوظ است', en: 'Your place is kept'}`; key `*` (a plain string in YAML) serves every language; else the site language's is the fallback. */
export type LocalisedText = Readonly<Record<string, string>>;

export interface SmsConfig {
  /** Master switch; off, nothing is queued (texts configured elsewhere are ignored). */
  enabled: boolean;
  /** No SMS between `from` and `to` (site time, may wrap midnight); held until `to`. null: any time. */
  quietHours: { from: string; to: string } | null;
  /** A held or retried SMS older than this is dropped instead of sent (a stale "we will call you back"). */
  maxAgeMs: number;
  /** At most this many SMS sent per site per local day; 0 = no cap. Over the cap, SMS wait for the next day (or go stale). */
  dailyCap: number;
  /** A reply that is one of these words (case-insensitive, trimmed) opts its number out of every later SMS. */
  stopWords: string[];
  /** Least time between two sends on one modem. */
  perModemGapMs: number;
  /** Send attempts before an SMS is failed; each failure waits `retryGapMs`. */
  attempts: number;
  retryGapMs: number;
  /** A survey reply counts only within this long of the survey SMS. */
  surveyReplyWindowMs: number;
  /** Sent once to a number that opted out; null: no acknowledgement. */
  optOutText: LocalisedText | null;
}

export interface HistoryConfig {
  /** Call summaries, surveys and finished campaigns older than this are pruned (default 90 days). */
  keepDays: number;
}

/**
 * Bounded data on an SD card. An event is pruned once every registered
 * durable consumer (queue_log, the cloud outbox) has passed it and it is
 * older than `eventsKeepDays`; the hard caps (`eventsMaxDays`,
 * `maxDatabaseMB`) win over a consumer that lags, which then gets a `gap`
 * event naming the lost range.
 */
export interface RetentionConfig {
  eventsKeepDays: number;
  eventsMaxDays: number;
  /** Hard cap on the database's used size (pages in use × page size), MB. */
  maxDatabaseMB: number;
}

/**
 * When a queue counts as empty (app_queue joinempty / leavewhenempty):
 * 'noneLoggedIn' = no member logged in; 'noneUnpaused' = no member logged in
 * and unpaused (paused members, and members with a pause or log-out pending,
 * count as absent); 'off' = never.
 */
export type EmptyRule = 'off' | 'noneLoggedIn' | 'noneUnpaused';

export interface Schedule {
  /** Opening intervals per weekday, "HH:MM-HH:MM" in site time; end may be "24:00". Missing day = closed. */
  weekly: Partial<Record<Weekday, string[]>>;
  /** Closed dates, YYYY-MM-DD in site time. */
  holidays: string[];
}
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface StoreConfig {
  /** SQLite file; ':memory:' for throwaway runs. */
  path: string;
  /**
   * Longest time a non-acknowledging change may wait before commit. 0 commits
   * every handled input. Anything promised to a caller is committed before the
   * promise is spoken, whatever this is.
   */
  groupCommitMs: number;
}

export type SlAbandonTreatment = 'ignored' | 'negative' | 'positive';

export interface KpiConfig {
  /** Service-level threshold T (seconds): answered within T counts. */
  serviceLevelSec: number;
  /** Target share, 0–1 (0.8 for 80/20). */
  serviceLevelTarget: number;
  /** Abandons with wait under this are "short" and reported apart (seconds). */
  shortAbandonSec: number;
  /** How abandons within T enter the service level (see docs/kpis.md). */
  slAbandonTreatment: SlAbandonTreatment;
  /** A call is first-contact resolved if the number does not call the queue again within this (hours). */
  fcrWindowHours: number;
}

export interface IvrConfig {
  /** Menu a new call starts in. */
  entry: string;
  /**
   * The entry menu per number dialled (DID, as an E1 span's called party
   * number delivers it, or the modem's own number): digits → menu. A call to
   * a number not listed starts in `entry`. See {@link entryMenuFor}.
   */
  entryByNumber?: Readonly<Record<string, string>>;
  menus: Record<string, IvrMenu>;
}

export interface IvrMenu {
  prompt: string;
  /** The language of the callers who pass this menu (`fa`, `en`…); absent, the call keeps the language it had. */
  language?: string;
  /** Schedule name; outside it, `closed` runs instead of the menu. */
  schedule?: string;
  closed?: IvrAction;
  /** Digit (or digit string) → action. */
  options: Record<string, IvrAction>;
  /** Wait for the first digit after the prompt. */
  firstDigitTimeoutMs: number;
  interDigitTimeoutMs: number;
  maxDigits: number;
  /** Attempts before `onFailure` (invalid or no input). */
  retries: number;
  invalidPrompt: string;
  timeoutPrompt: string;
  onFailure: IvrAction;
}

export type IvrAction =
  | { queue: string }
  | { menu: string }
  | { hangup: true; prompt?: string }
  | { play: string; then: IvrAction };

export type Strategy = 'longestIdle' | 'roundRobin' | 'fewestCalls' | 'ringAllInOrder' | 'random';

export interface QueueConfig {
  name: string;
  strategy: Strategy;
  /** Ring each agent this long before moving on (ring-no-answer). */
  ringTimeoutMs: number;
  wrapUpMs: number;
  /** Consecutive ring-no-answers that auto-pause an agent; 0 disables. */
  autoPauseAfter: number;
  /** Longest wait before overflow; 0 = no limit. */
  maxWaitMs: number;
  /** Where a caller goes at maxWait: another queue, a callback offer, or hang up with a prompt. */
  overflow: { queue: string } | { callbackOffer: true } | { hangup: true };
  /** Higher weight is served first by agents in several queues. */
  weight: number;
  announce: {
    /** Position/estimated-wait announcement interval; 0 disables. */
    everyMs: number;
    position: boolean;
    estimatedWait: boolean;
  };
  holdPrompt: string;
  callback: CallbackConfig;
  survey: { enabled: boolean; prompt: string; thanksPrompt: string; timeoutMs: number; sms: SmsSurveyConfig };
  /** SMS sent about this queue's callbacks, per language; null = none. */
  sms: { callbackBooked: LocalisedText | null; callbackMissed: LocalisedText | null };
  /** Wait for the agent the caller spoke to before falling back to the queue. */
  agentCallbackWaitMs: number;
  /** A new caller is not queued while the queue is empty in this sense (offered a callback first when possible; EXITEMPTY). */
  joinEmpty: EmptyRule;
  /** Waiting callers leave (offered a callback first when possible; EXITEMPTY) once the queue has been empty in this sense for `leaveEmptyAfterMs`. */
  leaveWhenEmpty: EmptyRule;
  leaveEmptyAfterMs: number;
}

/**
 * The survey by SMS after a call an agent answered, when no DTMF score came:
 * 'agentHangup' only when the agent ended the call or handed it over by
 * transfer (the DTMF survey could not run), 'unanswered' whenever no DTMF
 * score was given (caller hung up, survey timed out or off), 'off'.
 */
export interface SmsSurveyConfig {
  when: 'off' | 'agentHangup' | 'unanswered';
  /** "Reply 1 to 5…" per language. */
  text: LocalisedText | null;
}

export interface CallbackConfig {
  enabled: boolean;
  /** Offer when the caller's position is at least this (1-based). 0 disables the position trigger. */
  offerAtPosition: number;
  /** Offer when the estimated wait is at least this; 0 disables. */
  offerAtEstimatedWaitMs: number;
  /** agentFirst: reserve and ring the agent, then dial the customer. customerFirst: dial the customer, then the agent. */
  mode: 'agentFirst' | 'customerFirst';
  attempts: number;
  retryGapMs: number;
  ringTimeoutMs: number;
  /** A pending callback not completed within this is expired. */
  expiryMs: number;
  /** Schedule name the callback may be dialled in. */
  schedule?: string;
  /** Withheld/unavailable callers: not offered, or asked to key their number. */
  withheld: 'skip' | 'askNumber';
}

export interface AgentConfig {
  id: string;
  name: string;
  /** Number or port the trunks dial to reach the agent. */
  endpoint: string;
  queues: Array<{ queue: string; penalty: number }>;
  /** Per-agent wrap-up overrides the queue's. */
  wrapUpMs?: number;
}

export interface VipEntry {
  number: string;
  /** Higher goes first; ordinary callers are 0. */
  priority: number;
  name?: string;
}

/**
 * A trunk as configured. The core only uses `id` (and the TrunkPort's own
 * `channels`); the rest is driver settings that firmware/ hands to the driver.
 */
export type TrunkConfig = SimTrunkConfig | ModemTrunkConfig | E1TrunkConfig;

/** The in-process telephone network simulator (demo, tests, `ccgate simulate`). */
export interface SimTrunkConfig {
  id: string;
  type: 'sim';
  channels: number;
  /**
   * How a connect to an agent is carried: 'ownChannel' (the agent leg takes a
   * channel, as on an E1 span) or 'sameLine' (it rides on the caller's line,
   * as a GSM modem's second call: simulates a site of one-line modems).
   */
  bridge: 'ownChannel' | 'sameLine';
}

/** Modem families with a driver profile; 'auto' detects from ATI/AT+CGMI/AT+CGMM. */
export type ModemFamily = 'sim800' | 'sim7600' | 'quectel' | 'huawei' | 'generic';

/** One GSM/LTE modem = one voice line (drivers/modem). */
export interface ModemTrunkConfig {
  id: string;
  type: 'modem';
  /** Always 1: a modem carries one call to the core (a second call is the agent leg of a connect). */
  channels: 1;
  /** Serial device, preferably /dev/serial/by-id/… so a re-enumerated USB modem is found again. */
  port: string;
  baudRate: number;
  /** On garbage with no valid answer, try the other common baud rates (the configured one first). */
  autoBaud: boolean;
  rtscts: boolean;
  family: ModemFamily | 'auto';
  /**
   * How a caller reaches an agent: 'conference' (hold, dial the agent, join:
   * the modem stays in the call, so the survey can follow) or 'transfer'
   * (explicit call transfer AT+CHLD=4: the line is freed, no survey).
   */
  connect: 'conference' | 'transfer';
  /** Prompt playback: module-side files, host PCM on the modem's audio tty, or none. */
  audio: { kind: 'auto' | 'module' | 'pcm' | 'silent'; port: string | null; promptDir: string };
  sms: { mode: 'pdu' | 'text' };
  /** Enable the modem's DTMF detection URCs (AT+DDET, AT+QTONEDET, AT^DDTMFCFG). */
  dtmfDetect: boolean;
  /** Optional power-cycle hook (argv), run as the last step of the recovery ladder. */
  powerCycle: string[] | null;
}

/**
 * One E1 ISDN PRI span, user side (drivers/e1): 30 B-channels, the
 * D-channel's frames over a serial link, framer alarms on the board's
 * management bus, in-band DTMF from a pool of MT8870 decoders on GPIO.
 */
export interface E1TrunkConfig {
  id: string;
  type: 'e1';
  /** Number of B-channels: the timeslots provisioned. */
  channels: number;
  /** Timeslots the carrier provisioned (1-15, 17-31). */
  timeslots: number[];
  /** The serial link carrying the D-channel (timeslot 16) as async HDLC. */
  dchannel: { port: string; baudRate: number };
  /** Overlap receiving: digits after SETUP ACKNOWLEDGE until sending complete, `digits` of them, or `timeoutMs` of silence. */
  overlap: { enabled: boolean; digits: number | null; timeoutMs: number };
  /** Presented on outgoing calls (callbacks, campaigns); null: the carrier's default. */
  callingNumber: string | null;
  /** Framer alarm registers (DS26521) over SPI, or over I2C through an SC18IS602 bridge; null: no framer access (alarms unknown). */
  framer:
    | null
    | { kind: 'spi'; bus: number; device: number; speedHz: number }
    | { kind: 'sc18is602'; bus: number; address: number; slaveSelect: number; speedHz: number };
  /** Poll period and alarm integration (raise after, clear after). */
  alarms: { pollMs: number; raiseMs: number; clearMs: number };
  /** The MT8870 decoder pool: null without decoders (no in-band DTMF). */
  dtmf: null | {
    backend: 'libgpiod' | 'onoff' | 'rpio';
    /** Shared data lines Q1..Q4, by name (GPIO5 …). */
    q: [string, string, string, string];
    /** One per decoder: its StD line and its output enable (TOE). */
    decoders: Array<{ std: string; toe: string }>;
    minToneMs: number;
    /** libgpiod: how long after starting a `gpioset` holder its line is taken as driven (the tools confirm nothing). */
    settleMs: number;
  };
  /** B-channel switching and prompts; only the simulated board exists in this release. */
  board: { kind: 'sim' };
  /** Q.931 timer overrides (ms); absent ones keep the standard defaults. */
  timers: Partial<Record<'t303' | 't305' | 't308' | 't309' | 't310' | 't313' | 't316' | 't322', number>>;
}

export interface CampaignDefaults {
  maxConcurrent: number;
  callsPerMinute: number;
  schedule?: string;
  attempts: number;
  retryGapMs: number;
  ringTimeoutMs: number;
  /** Queue for "press 1 to speak to an agent"; null disables the option. */
  agentQueue: string | null;
  /**
   * Lines kept free across the whole site for inbound callers and callbacks:
   * a campaign dials only while more lines than this are free. A site with a
   * single one-line modem and the default 1 never dials campaigns; set 0 there.
   */
  keepFreeLines: number;
  /** Text sent to a target not reached after its last attempt; null = none. A campaign may set its own. */
  smsFallback: string | null;
}

import type { CcgateConfig } from './CcgateConfig.ts';
import { parseConfig } from './loadConfig.ts';

/**
 * The configuration `ccgate demo` runs when no file is given: a Tehran travel
 * agency with three queues and nine agents on two simulator trunks. It goes
 * through the same YAML parser and schema as a real file, so the demo cannot
 * drift from what a user could write. Open 24/7 so a demo works at any hour.
 */
const DEMO_YAML = `
site:
  name: ccgate demo – Tehran travel agency
  timeZone: Asia/Tehran
  language: fa
  numbering: {countryCode: '98'}   # 0912…, 0098912… and +98912… are one number

schedules:
  always:
    weekly: {sat: 00:00-24:00, sun: 00:00-24:00, mon: 00:00-24:00, tue: 00:00-24:00,
             wed: 00:00-24:00, thu: 00:00-24:00, fri: 00:00-24:00}

ivr:
  entry: main
  menus:
    main:
      prompt: main-menu
      schedule: always
      closed: {play: closed-hours, then: {hangup: true}}
      options:
        1: {queue: flights}
        2: {queue: trains}
        3: {queue: hotels}
        0: {menu: main}
      onFailure: {play: connecting, then: {queue: flights}}

queues:
  flights:
    name: Flights
    strategy: longestIdle
    weight: 10
    maxWaitMs: 5m
    overflow: {callbackOffer: true}
    callback: {offerAtPosition: 5, schedule: always}
    sms:
      callbackBooked: {fa: 'جای شما در صف پرواز محفوظ است؛ به‌محض رسیدن نوبتتان با شما تماس می‌گیریم.', en: 'Your place in the Flights queue is kept; we will call you back.'}
      callbackMissed: {fa: 'متأسفیم، نتوانستیم با شما تماس بگیریم. لطفاً دوباره تماس بگیرید.', en: 'Sorry we missed you. Please call again.'}
    survey:
      sms: {when: unanswered, text: {fa: 'از تماس شما سپاسگزاریم. با ارسال عددی از ۱ تا ۵ به این گفتگو نمره دهید.', en: 'Thank you for calling. Rate the call 1-5 by replying.'}}
  trains:
    name: Train and bus
    strategy: roundRobin
    weight: 5
    maxWaitMs: 4m
    overflow: {queue: flights}
  hotels:
    name: Hotels and tours
    strategy: fewestCalls
    wrapUpMs: 20s
    callback: {offerAtPosition: 4}

agents:
  - {id: a101, name: Sara, endpoint: '+989120000101', queues: [flights, {queue: trains, penalty: 1}]}
  - {id: a102, name: Reza, endpoint: '+989120000102', queues: [flights]}
  - {id: a103, name: Maryam, endpoint: '+989120000103', queues: [flights, {queue: hotels, penalty: 2}]}
  - {id: a104, name: Ali, endpoint: '+989120000104', queues: [trains, {queue: flights, penalty: 1}]}
  - {id: a105, name: Zahra, endpoint: '+989120000105', queues: [trains]}
  - {id: a106, name: Hamid, endpoint: '+989120000106', queues: [trains, {queue: hotels, penalty: 1}]}
  - {id: a107, name: Neda, endpoint: '+989120000107', queues: [hotels]}
  - {id: a108, name: Omid, endpoint: '+989120000108', queues: [hotels]}
  - {id: a109, name: Leila, endpoint: '+989120000109', queues: [hotels, {queue: flights, penalty: 2}], wrapUpMs: 15s}

vip:
  - {number: '+989120009001', priority: 10, name: Pars Trading}

trunks:
  - {id: sim1, type: sim, channels: 30}
  - {id: sim2, type: sim, channels: 30}

campaigns:
  schedule: always
  agentQueue: flights
  smsFallback: 'تغییر پرواز: {message}'

# Open 24/7 like the rest of the demo: no quiet hours, so SMS go out whatever the hour.
sms: {quietHours: null, perModemGapMs: 5s}

# Every board kind, driven on its simulator in the demo (ccgate wallboard preview draws them).
wallboard:
  web: {host: 127.0.0.1, port: 0}   # port 0: any free port; the demo prints the address
  boards:
    - {id: tv-site, kind: web, items: [callsWaiting, longestWait, agentsReady, agentsOnCall, agentsPaused,
        serviceLevelToday, serviceLevelHour, answered, abandoned, callbacksPending, surveyMean, agentsNeeded, 'counter:email']}
    - {id: tv-flights-fa, kind: web, lang: fa, queues: [flights], title: پرواز,
        items: [callsWaiting, longestWait, agentsReady, serviceLevelToday, abandoned, callbacksPending]}
    - {id: tv-hotels-zh, kind: web, lang: zh, queues: [hotels], title: 酒店,
        items: [callsWaiting, longestWait, agentsReady, serviceLevelToday, abandoned, surveyMean]}
    - {id: floor-sign, kind: alpha, port: /dev/ttyUSB0, rows: 7, columns: 80,
        items: [callsWaiting, longestWait, agentsReady, serviceLevelToday]}
    - {id: floor-sign-fa, kind: alpha, port: /dev/ttyUSB1, address: 2, rows: 16, columns: 160, lang: fa, queues: [flights],
        items: [callsWaiting, longestWait, agentsReady, serviceLevelToday]}
    - {id: desk-digits, kind: ht16k33, addresses: [0x70], variant: sevenSegment4, items: [callsWaiting, longestWait]}
    - {id: desk-text, kind: ht16k33, addresses: [0x71, 0x72], variant: alphanumeric4, items: [callsWaiting, serviceLevelToday, agentsReady]}
    - {id: strip, kind: max7219, chain: 4, variant: matrix8x8, items: [callsWaiting, longestWait, serviceLevelToday]}
`;

/** Where the demo keeps its state; the caller makes a temporary directory for them. */
export interface DemoPaths {
  /** SQLite file for the demo run. */
  storePath: string;
  /** queue_log file, or null to write none. */
  queueLogPath: string | null;
  /** Control socket for the CLI, or null for none. */
  socketPath: string | null;
}

/**
 * The demo configuration with the caller's paths.
 *
 * @param opts where the store, queue_log and control socket go (usually a temp dir)
 * @returns a fully defaulted {@link CcgateConfig}: 3 queues, 9 agents, 24/7, 2 × 30 simulator channels
 */
export function demoConfig(opts: DemoPaths): CcgateConfig {
  const config = parseConfig(DEMO_YAML, 'firmware/config/demoConfig.ts (embedded demo YAML)');
  return {
    ...config,
    store: { ...config.store, path: opts.storePath },
    queueLog: { ...config.queueLog, path: opts.queueLogPath },
    api: { socketPath: opts.socketPath },
  };
}

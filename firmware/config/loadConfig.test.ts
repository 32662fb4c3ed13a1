import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, isCcgateError } from '../../gateway/core/errors.ts';
import { formatPath, loadConfig, parseConfig } from './loadConfig.ts';

const FILE = 'branch.yaml';
const QUEUES = ['queues:', '  flights: {}', '  trains: {}', '  hotels: {}'];

function configError(text: string, file = FILE): ConfigError {
  try {
    parseConfig(text, file);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError, the config was accepted');
}

interface Case {
  name: string;
  yaml: string[];
  path: string;
  expected: string;
  /** 1-based line and a token on it whose first occurrence is the reported column. */
  at?: [number, string];
}

const CASES: Case[] = [
  { name: 'whole number out of range', yaml: ['queues:', '  flights:', '    callback:', '      attempts: -2'],
    path: 'queues.flights.callback.attempts', expected: 'expected a whole number from 1 to 10, got -2', at: [4, '-2'] },
  { name: "agent's unknown queue", at: [11, 'hotel'],
    yaml: [...QUEUES, 'agents:', "  - {id: a1, endpoint: '1', queues: [flights]}", "  - {id: a2, endpoint: '2', queues: [trains]}",
      '  - id: a3', "    endpoint: '3'", '    queues:', '      - {queue: hotel, penalty: 1}'],
    path: 'agents[2].queues[0].queue', expected: "unknown queue 'hotel' (known: flights, trains, hotels)" },
  { name: 'IVR option to an unknown menu', at: [7, 'sales'],
    yaml: [...QUEUES, 'ivr:', '  menus: {main: {prompt: p, options: {', '    1: {menu: sales}, 2: {play: hi, then: {queue: hotel}}}}}'],
    path: 'ivr.menus.main.options.1.menu', expected: "unknown menu 'sales' (known: main)" },
  { name: 'IVR play/then to an unknown queue', at: [7, 'hotel'],
    yaml: [...QUEUES, 'ivr:', '  menus: {main: {prompt: p, options: {', '    1: {menu: sales}, 2: {play: hi, then: {queue: hotel}}}}}'],
    path: 'ivr.menus.main.options.2.then.queue', expected: "unknown queue 'hotel' (known: flights, trains, hotels)" },
  { name: 'IVR entry menu unknown', at: [5, 'start'], yaml: [...QUEUES, 'ivr: {entry: start, menus: {main: {prompt: p}}}'],
    path: 'ivr.entry', expected: "unknown menu 'start' (known: main)" },
  { name: 'overflow to an unknown queue', at: [3, 'hotel'], yaml: ['queues:', '  flights: {}', '  trains: {overflow: {queue: hotel}}'],
    path: 'queues.trains.overflow.queue', expected: "unknown queue 'hotel' (known: flights, trains)" },
  { name: 'overflow to itself', yaml: ['queues:', '  hotels: {overflow: {queue: hotels}}'],
    path: 'queues.hotels.overflow.queue', expected: "expected another queue, got 'hotels' itself" },
  { name: 'callback overflow with callbacks off', yaml: ['queues:', '  q: {overflow: {callbackOffer: true}, callback: {enabled: false}}'],
    path: 'queues.q.overflow.callbackOffer', expected: 'expected callback.enabled: true for a callbackOffer overflow' },
  { name: 'menu schedule unknown', yaml: [...QUEUES, 'ivr: {menus: {main: {prompt: p, schedule: office}}}'],
    path: 'ivr.menus.main.schedule', expected: "unknown schedule 'office' (known: no schedules are defined)" },
  { name: 'callback schedule unknown', at: [3, 'ofice'],
    yaml: ['schedules: {office: {weekly: {}}}', 'queues:', '  q: {callback: {schedule: ofice}}'],
    path: 'queues.q.callback.schedule', expected: "unknown schedule 'ofice' (known: office)" },
  { name: 'campaign schedule unknown', yaml: ['campaigns: {schedule: evenings}'],
    path: 'campaigns.schedule', expected: "unknown schedule 'evenings'" },
  { name: 'campaign agent queue unknown', yaml: ['campaigns: {agentQueue: sales}'],
    path: 'campaigns.agentQueue', expected: "unknown queue 'sales' (known: general)" },
  { name: 'invalid time zone', at: [1, 'Tehran'], yaml: ['site: {timeZone: Tehran}'],
    path: 'site.timeZone', expected: "expected an IANA time zone such as 'Asia/Tehran', got 'Tehran'" },
  { name: 'malformed interval', at: [1, '8-20'], yaml: ['schedules: {office: {weekly: {mon: [08:00-12:00, 8-20]}}}'],
    path: 'schedules.office.weekly.mon[1]', expected: `expected "HH:MM-HH:MM" in site time (end may be 24:00; 22:00-02:00 runs past midnight), got '8-20'` },
  { name: 'empty interval', yaml: ['schedules: {office: {weekly: {fri: 10:00-10:00}}}'],
    path: 'schedules.office.weekly.fri[0]', expected: `expected "HH:MM-HH:MM"` },
  { name: 'impossible holiday date', at: [1, '2026'], yaml: ['schedules: {office: {weekly: {}, holidays: [2026-02-30]}}'],
    path: 'schedules.office.holidays[0]', expected: "expected a date YYYY-MM-DD in site time, got '2026-02-30'" },
  { name: 'DTMF key not a digit', at: [5, 'x:'], yaml: [...QUEUES, 'ivr: {menus: {main: {prompt: p, options: {x: {queue: flights}}}}}'],
    path: 'ivr.menus.main.options.x', expected: "expected DTMF keys 0-9, * or # (quote '*' and '#' in YAML), got 'x'" },
  { name: 'option longer than maxDigits', yaml: [...QUEUES, 'ivr: {menus: {main: {prompt: p, options: {12: {queue: flights}}}}}'],
    path: 'ivr.menus.main.options.12', expected: "expected at most maxDigits (1) digits, got '12'" },
  { name: 'duplicate agent id', at: [4, 'a1'],
    yaml: ['agents:', "  - {id: a1, endpoint: '1', queues: [general]}", "  - {id: a2, endpoint: '2', queues: [general]}", "  - {id: a1, endpoint: '3', queues: [general]}"],
    path: 'agents[2].id', expected: "duplicate agent id 'a1' (already used by agents[0])" },
  { name: 'duplicate queue in one agent', yaml: ['agents:', "  - {id: a1, endpoint: '1', queues: [general, {queue: general, penalty: 2}]}"],
    path: 'agents[0].queues[1].queue', expected: "duplicate queue 'general' (already at queues[0])" },
  { name: 'agent in no queue', yaml: ['agents:', "  - {id: a1, endpoint: '1', queues: []}"],
    path: 'agents[0].queues', expected: 'expected at least one queue, got a list' },
  { name: 'agent id with a space', yaml: ['agents:', "  - {id: a 1, endpoint: '1', queues: [general]}"],
    path: 'agents[0].id', expected: "expected an agent id of letters, digits, '_', '.' or '-', got 'a 1'" },
  { name: 'missing endpoint', at: [2, '{'], yaml: ['agents:', '  - {id: a1, queues: [general]}'],
    path: 'agents[0].endpoint', expected: 'expected a non-empty phone number, got nothing (the key is missing)' },
  { name: 'duplicate trunk id', yaml: ['trunks: [{id: sim1, channels: 4}, {id: sim1}]'],
    path: 'trunks[1].id', expected: "duplicate trunk id 'sim1' (already used by trunks[0])" },
  { name: 'no trunks', yaml: ['trunks: []'], path: 'trunks', expected: 'expected at least one trunk, got a list' },
  { name: 'empty VIP number', yaml: ["vip: ['']"], path: 'vip[0].number', expected: "expected a non-empty phone number, got ''" },
  { name: 'unquoted VIP number', at: [1, '+98'], yaml: ['vip: [{number: +989120009001}]'],
    path: 'vip[0].number', expected: "expected a quoted phone number (YAML reads 989120009001 unquoted as a number and drops any '+' or leading 0)" },
  { name: 'unquoted VIP shorthand', yaml: ['vip: [+989120009001]'],
    path: 'vip[0].number', expected: 'expected a quoted phone number' },
  { name: 'VIP neither number nor mapping', yaml: ['vip: [[1]]'],
    path: 'vip[0]', expected: 'expected a phone number or {number, priority, name}, got a list' },
  { name: 'agent queue neither name nor mapping', yaml: ['agents:', "  - {id: a1, endpoint: '1', queues: [7]}"],
    path: 'agents[0].queues[0]', expected: 'expected a queue name or {queue: name, penalty: n}, got 7' },
  { name: 'duplicate VIP number', yaml: ["vip: ['+98912', {number: '+98912', priority: 3}]"],
    path: 'vip[1].number', expected: "duplicate VIP number '+98912' (the same number as vip[0])" },
  { name: 'one VIP number written two ways', yaml: ["site: {numbering: {countryCode: '98'}}", "vip: ['+989121111111', '0912 111 1111']"],
    path: 'vip[1].number', expected: "duplicate VIP number '0912 111 1111' (the same number as vip[0])" },
  { name: 'service level target as a percentage', yaml: ['kpi: {serviceLevelTarget: 80}'],
    path: 'kpi.serviceLevelTarget', expected: 'expected a share greater than 0 and at most 1 (0.8 means 80 %), got 80' },
  { name: 'service level target 0', yaml: ['kpi: {serviceLevelTarget: 0}'],
    path: 'kpi.serviceLevelTarget', expected: 'expected a share greater than 0 and at most 1 (0.8 means 80 %), got 0' },
  { name: 'duration with unknown unit', at: [1, '5x'], yaml: ['queues: {q: {ringTimeoutMs: 5x}}'],
    path: 'queues.q.ringTimeoutMs', expected: "expected a duration > 0: milliseconds or a string like '500ms', '30s', '5m', '1h30m', got '5x'" },
  { name: 'duration without a unit', yaml: ["site: {agentCallbackWindowMs: '15'}"],
    path: 'site.agentCallbackWindowMs', expected: "expected a duration: milliseconds or a string like '500ms', '30s', '5m', '1h30m', got '15'" },
  { name: 'negative duration', yaml: ['store: {groupCommitMs: -5}'], path: 'store.groupCommitMs', expected: 'expected a duration: milliseconds' },
  { name: 'zero ring timeout', yaml: ['queues: {q: {callback: {ringTimeoutMs: 0s}}}'],
    path: 'queues.q.callback.ringTimeoutMs', expected: "expected a duration > 0: milliseconds or a string like '500ms', '30s', '5m', '1h30m', got '0s'" },
  { name: 'typo in a key', at: [3, 'ringTimeout'], yaml: ['queues:', '  flights:', '    ringTimeout: 15s'],
    path: 'queues.flights.ringTimeout', expected: "unknown key 'ringTimeout' (did you mean 'ringTimeoutMs'?)" },
  { name: 'unknown top-level key', at: [1, 'queue'], yaml: ['queue: {}'], path: 'queue', expected: "unknown key 'queue' (did you mean 'queues'?)" },
  { name: 'unknown key inside an action', yaml: [...QUEUES, 'ivr: {menus: {main: {prompt: p, onFailure: {queue: flights, after: 3}}}}'],
    path: 'ivr.menus.main.onFailure.after', expected: "unknown key 'after' (allowed: queue)" },
  { name: 'wrong strategy', yaml: ['queues: {q: {strategy: ringall}}'], path: 'queues.q.strategy',
    expected: "expected one of 'longestIdle', 'roundRobin', 'fewestCalls', 'ringAllInOrder', 'random', got 'ringall'" },
  { name: 'action with a wrong value', yaml: [...QUEUES, 'ivr: {menus: {main: {prompt: p, options: {1: {queue: 5}}}}}'],
    path: 'ivr.menus.main.options.1.queue', expected: 'expected a queue name, got 5' },
  { name: 'wrong value in a nested action', at: [5, '5}'], yaml: [...QUEUES, 'ivr: {menus: {main: {prompt: p, onFailure: {play: x, then: {queue: 5}}}}}'],
    path: 'ivr.menus.main.onFailure.then.queue', expected: 'expected a queue name, got 5' },
  { name: 'not an action', yaml: [...QUEUES, 'ivr: {menus: {main: {prompt: p, options: {"#": {goto: x}}}}}'],
    path: 'ivr.menus.main.options["#"]',
    expected: 'expected an action: {queue: name}, {menu: name}, {hangup: true} or {play: prompt, then: action}, got a mapping' },
  { name: 'queue name with a space', yaml: ["queues: {'my queue': {}}"], path: 'queues["my queue"]',
    expected: "expected a queue name of letters, digits, '_', '.' or '-', got 'my queue'" },
  { name: 'root is a list', yaml: ['- a'], path: '(root)', expected: 'expected a mapping, got a list' },
  { name: 'quiet hours not a time', yaml: ["sms: {quietHours: {from: '9pm', to: '08:00'}}"], path: 'sms.quietHours.from',
    expected: `expected a time "HH:MM" in site time, got '9pm'` },
  { name: 'SMS text for a language code that is not one', yaml: ["queues: {q: {sms: {callbackBooked: {Persian: 'x'}}}}"],
    path: 'queues.q.sms.callbackBooked.Persian', expected: "expected a language code such as 'fa' or 'en'" },
  { name: 'survey by SMS at an unknown moment', yaml: ["queues: {q: {survey: {sms: {when: always}}}}"], path: 'queues.q.survey.sms.when',
    expected: "expected one of 'off', 'agentHangup', 'unanswered', got 'always'" },
  { name: 'SMS texts on a site whose numbering cannot match replies', yaml: ["queues: {q: {sms: {callbackBooked: 'We will call you back'}}}"],
    path: 'site.numbering.countryCode', expected: "expected the site's country calling code (e.g. '98') when SMS are configured" },
  { name: 'a placeholder the text cannot fill', yaml: ["site: {numbering: {countryCode: '98'}}", "queues: {q: {sms: {callbackBooked: {en: 'Hi {agent}'}}}}"],
    path: 'queues.q.sms.callbackBooked.en', expected: 'unknown placeholder {agent}: this text may use {queue}' },
  { name: 'a stop word that is a score', yaml: ["sms: {stopWords: [STOP, '1']}"], path: 'sms.stopWords[1]', expected: "'1' is a survey score" },
  { name: 'a survey by SMS with nothing to say', yaml: ["queues: {q: {survey: {sms: {when: unanswered}}}}"], path: 'queues.q.survey.sms.text',
    expected: "expected the survey's SMS text (per language) when survey.sms.when is 'unanswered'" },
  { name: 'country code with a plus', yaml: ["site: {numbering: {countryCode: '+98'}}"], path: 'site.numbering.countryCode',
    expected: 'expected a country calling code without +: digits only' },
];

describe('parseConfig reports', () => {
  it.each(CASES)('$name → $path', ({ yaml, path, expected, at }) => {
    const err = configError(yaml.join('\n') + '\n');
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain(`${FILE}: invalid configuration`);
    expect(err.message).toContain(`  ${path}: ${expected}`);
    if (at) {
      const [line, token] = at;
      const column = (yaml[line - 1] ?? '').indexOf(token) + 1;
      expect(column).toBeGreaterThan(0);
      expect(err.message).toMatch(new RegExp(`  ${path.replace(/[[\]."()]/g, '\\$&')}: .*\\(at ${FILE}:${line}:${column}\\)`));
    }
  });

  it('lists every problem at once, in file order, each with its line', () => {
    const err = configError(['kpi: {serviceLevelSec: 0}', 'queues:', '  q: {weight: -1, strategy: x}', 'log: {level: loud}'].join('\n'));
    expect(err.issues.map((i) => i.path)).toEqual(['kpi.serviceLevelSec', 'queues.q.weight', 'queues.q.strategy', 'log.level']);
    expect(err.issues.map((i) => (i as { line?: number }).line)).toEqual([1, 3, 3, 4]);
  });

  it('reports every unknown key of one mapping on its own path', () => {
    const err = configError('site: {nmae: x, tz: y}\n');
    expect(err.issues.map((i) => i.path)).toEqual(['site.nmae', 'site.tz']);
    expect(err.message).toContain("site.nmae: unknown key 'nmae' (did you mean 'name'?)");
  });

  it('turns YAML syntax errors into a ConfigError with the line', () => {
    const err = configError('queues:\n  flights: {ringTimeoutMs: 15s\nagents: []\n');
    expect(err.message).toContain(`${FILE}: invalid configuration`);
    expect(err.message).toMatch(/\(root\): valid YAML: .*\(at branch\.yaml:\d+:\d+\)/);
    expect(err.issues[0]).toMatchObject({ path: '', line: expect.any(Number) as number });
  });

  it('rejects duplicate keys as a YAML error', () => {
    const err = configError('queues:\n  q: {}\n  q: {}\n');
    expect(err.message).toMatch(/valid YAML: Map keys must be unique.*\(at branch\.yaml:3:3\)/);
  });
});

describe('formatPath', () => {
  it.each([
    [['queues', 'flights', 'callback', 'attempts'], 'queues.flights.callback.attempts'],
    [['agents', 2, 'queues', 0, 'queue'], 'agents[2].queues[0].queue'],
    [['ivr', 'menus', 'main', 'options', '*'], 'ivr.menus.main.options["*"]'],
    [['ivr', 'menus', 'main', 'options', '12'], 'ivr.menus.main.options.12'],
    [[], ''],
  ])('%j → %s', (path, want) => {
    expect(formatPath(path)).toBe(want);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ccgate-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('raises CONFIG_NOT_FOUND naming the path', () => {
    const file = join(dir, 'missing.yaml');
    let caught: unknown;
    try {
      loadConfig(file);
    } catch (e) {
      caught = e;
    }
    expect(isCcgateError(caught, 'CONFIG_NOT_FOUND')).toBe(true);
    expect((caught as Error).message).toContain(file);
    expect(isCcgateError(caught) && caught.context).toEqual({ file });
  });

  it('raises a ConfigError for a directory', () => {
    expect(() => loadConfig(dir)).toThrow(ConfigError);
  });

  it('names the real file and line in errors', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'site:\n  timeZone: Mars/Olympus\n');
    expect(() => loadConfig(file)).toThrow(`site.timeZone: expected an IANA time zone such as 'Asia/Tehran', got 'Mars/Olympus' (at ${file}:2:13)`);
  });

  it('loads the commented example (Tehran branch)', () => {
    const c = loadConfig(fileURLToPath(new URL('./example.yaml', import.meta.url)));
    expect(c.site).toMatchObject({ name: 'Tehran branch', timeZone: 'Asia/Tehran' });
    expect(Object.keys(c.queues)).toEqual(['flights', 'trains', 'hotels']);
    expect(new Set(Object.values(c.queues).map((q) => q.strategy)).size).toBe(3);
    expect(c.agents).toHaveLength(8);
    expect(c.trunks.map((t) => t.type)).toEqual(['sim', 'sim']);
    expect(c.ivr.menus.main?.options['9']).toEqual({ menu: 'english' });
    expect(c.ivr.menus.english?.options['*']).toEqual({ menu: 'main' });
    expect(c.schedules.office?.weekly.fri).toBeUndefined();
    expect(c.schedules.office?.weekly.thu).toEqual(['08:00-14:00']);
    expect(c.queues.flights?.callback.expiryMs).toBe(4 * 3_600_000);
  });
});

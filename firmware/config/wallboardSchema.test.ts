import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../gateway/core/errors.ts';
import { DEFAULT_THRESHOLDS } from '../../wallboard/figures/thresholds.ts';
import { parseConfig } from './loadConfig.ts';

const FILE = 'branch.yaml';
const QUEUES = ['queues:', '  flights: {name: Flights}', '  hotels: {}', 'schedules:', '  day: {weekly: {mon: "08:00-17:00"}}'];

function issues(yaml: string[]): Array<{ path: string; expected: string }> {
  try {
    parseConfig(yaml.join('\n'), FILE);
  } catch (e) {
    // Each message ends with where it is in the file; the tests check the rest.
    if (e instanceof ConfigError) return e.issues.map((i) => ({ path: i.path, expected: i.expected.replace(/ \(at branch\.yaml:\d+:\d+\)$/, '') }));
    throw e;
  }
  throw new Error('expected a ConfigError, the config was accepted');
}

describe('wallboard config', () => {
  it('no section: no boards, today’s thresholds, counters fresh for 15 minutes, no web server', () => {
    const c = parseConfig('', FILE);
    expect(c.wallboard).toEqual({ thresholds: DEFAULT_THRESHOLDS, counterFreshMs: 15 * 60_000, web: null, boards: [] });
  });

  it('each kind with its connection keys and defaults', () => {
    const c = parseConfig(
      [
        ...QUEUES,
        'wallboard:',
        '  thresholds: {callsWaiting: [5, 10]}',
        '  web: {host: 0.0.0.0, port: 8088}',
        '  boards:',
        '    - {id: floor, kind: alpha, port: /dev/ttyUSB0, address: 2, rows: 16, columns: 120, lang: fa, queues: [flights], items: [callsWaiting, longestWait, "counter:email"]}',
        '    - {id: desk, kind: ht16k33, addresses: [0x70, 0x71], variant: alphanumeric4, thresholds: {callsWaiting: [1, 2]}}',
        '    - {id: strip, kind: max7219, chain: 4, variant: matrix8x8, brightness: {open: 12, closed: 2, schedules: [day]}}',
        '    - {id: tv, kind: web, lang: zh, pageMs: 10s}',
      ].join('\n'),
      FILE,
    );
    const [floor, desk, strip, tv] = c.wallboard.boards;
    expect(c.wallboard.thresholds.callsWaiting).toEqual([5, 10]);
    expect(c.wallboard.thresholds.longestWaitSec).toEqual([60, 120]);
    expect(floor).toMatchObject({
      kind: 'alpha',
      lang: 'fa',
      queues: ['flights'],
      items: ['callsWaiting', 'longestWait', 'counter:email'],
      connection: { kind: 'alpha', port: '/dev/ttyUSB0', baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1, address: 2, typeCode: 'Z', rows: 16, columns: 120 },
    });
    expect(desk).toMatchObject({ connection: { kind: 'ht16k33', bus: 1, addresses: [0x70, 0x71], variant: 'alphanumeric4' }, thresholds: { callsWaiting: [1, 2] } });
    expect(strip).toMatchObject({ connection: { kind: 'max7219', spiBus: 0, spiDevice: 0, chain: 4, variant: 'matrix8x8' }, brightness: { open: 12, closed: 2, schedules: ['day'] } });
    expect(tv).toMatchObject({ connection: { kind: 'web', path: 'tv' }, lang: 'zh', pageMs: 10_000, minIntervalMs: 250 });
  });

  it('rejects what the hardware cannot show, naming the key and the reason', () => {
    const got = issues([
      'wallboard:',
      '  boards:',
      '    - {id: betabrite, kind: alpha, port: /dev/ttyUSB0, lang: zh}',
      '    - {id: digits, kind: ht16k33, lang: fa}',
      '    - {id: chain, kind: max7219, variant: matrix8x8, lang: fa}',
    ]);
    expect(got).toEqual([
      { path: 'wallboard.boards[0].lang', expected: 'Chinese needs a sign at least 16 LED rows high (its glyphs are 16 rows); this sign has 7: use lang: en here, or a taller sign' },
      { path: 'wallboard.boards[1].lang', expected: 'Persian text cannot be shown on 7-segment digits (segments have no Persian letters or digits): use lang: en' },
      { path: 'wallboard.boards[2].lang', expected: 'Persian needs at least 16 LED rows; MAX7219 8×8 matrices have 8: use lang: en' },
    ]);
  });

  it('names unknown items, kinds, queues, schedules, duplicate ids and a web board without a server', () => {
    const got = issues([
      ...QUEUES,
      'wallboard:',
      '  boards:',
      '    - {id: a, kind: web, items: [callsWaiting, emails], queues: [trains], brightness: {schedules: [night]}}',
      '    - {id: a, kind: hub75}',
      '    - {id: b, kind: ht16k33, addresses: 0x20, thresholds: {callsWaiting: [6, 3]}}',
    ]);
    const paths = got.map((i) => i.path);
    expect(paths).toContain('wallboard.boards[0].items[1]');
    expect(got.find((i) => i.path === 'wallboard.boards[0].items[1]')!.expected).toMatch(/^expected an item: callsWaiting, .* or counter:<name>, got 'emails'$/);
    expect(got.find((i) => i.path === 'wallboard.boards[1].kind')!.expected).toBe("expected kind 'alpha', 'ht16k33', 'max7219' or 'web', got 'hub75'");
    expect(got.find((i) => i.path === 'wallboard.boards[2].addresses[0]')!.expected).toBe('expected an I2C address from 0x70 to 0x77, got 32 (0x20)');
    expect(got.find((i) => i.path === 'wallboard.boards[2].thresholds.callsWaiting')!.expected).toBe('expected the critical bound (3) at or above the warning bound (6)');
  });

  it('cross-references once the shapes are right', () => {
    const got = issues([
      ...QUEUES,
      'wallboard:',
      '  boards:',
      '    - {id: a, kind: web, queues: [trains], brightness: {schedules: [night]}}',
      '    - {id: a, kind: alpha, port: /dev/ttyS0}',
    ]);
    expect(got).toHaveLength(4);
    expect(got).toEqual(expect.arrayContaining([
      { path: 'wallboard.boards[0].queues[0]', expected: "unknown queue 'trains' (known: flights, hotels)" },
      { path: 'wallboard.boards[0].brightness.schedules[0]', expected: "unknown schedule 'night' (known: day)" },
      { path: 'wallboard.boards[0].kind', expected: 'a web board needs the web server: set wallboard.web (e.g. {host: 0.0.0.0, port: 8080})' },
      { path: 'wallboard.boards[1].id', expected: "duplicate board id 'a' (first used by board 0)" },
    ]));
  });
});

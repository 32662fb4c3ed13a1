/**
 * The `wallboard:` section: site thresholds, external counter freshness, the
 * web board's listener, and the boards. A board's connection keys sit
 * beside its common keys (`port:` for an Alpha sign, `bus:` for HT16K33, …)
 * and are checked per `kind`; what the hardware cannot show is rejected
 * here, with the reason, rather than drawn as garbage on the wall.
 */
import { z } from 'zod';
import type { BoardConfig, BoardConnection, WallboardConfig } from '../../wallboard/config/BoardConfig.ts';
import { DEFAULT_THRESHOLDS } from '../../wallboard/figures/thresholds.ts';
import type { ItemId } from '../../wallboard/model/BoardView.ts';
import { isFigureId } from '../../wallboard/figures/figures.ts';
import { bool, duration, MINUTE, name, obj, oneOf, SECOND, text, whole } from './fields.ts';
import { expected, show } from './messages.ts';

const COUNTER = /^[a-z][a-z0-9_-]{0,31}$/;
const ITEMS_HELP =
  'an item: callsWaiting, longestWait, agentsReady, agentsOnCall, agentsPaused, serviceLevelToday, serviceLevelHour, answered, abandoned, callbacksPending, surveyMean, agentsNeeded, cloudLink, outboxDepth, outboxAge, lastCommand, linesInService, or counter:<name>';
const item = z
  .string({ error: expected(ITEMS_HELP) })
  .refine((s) => isFigureId(s) || (s.startsWith('counter:') && COUNTER.test(s.slice(8))), { error: (iss) => `expected ${ITEMS_HELP}, got ${show(iss.input)}` })
  .transform((s) => s as ItemId);

const DEFAULT_ITEMS: ItemId[] = ['callsWaiting', 'longestWait', 'agentsReady', 'serviceLevelToday', 'abandoned', 'callbacksPending'];

const share = z.number({ error: expected('a share from 0 to 1') }).min(0, { error: expected('a share from 0 to 1') }).max(1, { error: expected('a share from 0 to 1') });
const pair = (of: z.ZodType<number>, what: string) => z.tuple([of, of], { error: expected(`[warning, critical] ${what}`) });
const count = whole(0);

const thresholdShape = {
  callsWaiting: pair(count, 'caller counts'),
  longestWaitSec: pair(count, 'seconds'),
  serviceLevel: pair(share, 'shares (0.8 = 80 %); critical below warning'),
  agentsFreeWarnAtMost: count,
  abandonedShare: pair(share, 'shares of offered calls'),
};

/** Higher-is-worse pairs must not have the critical bound below the warning one (and SL the other way round). */
function orderedThresholds(t: Partial<Record<keyof typeof thresholdShape, unknown>>, ctx: z.RefinementCtx): void {
  for (const k of ['callsWaiting', 'longestWaitSec', 'abandonedShare'] as const) {
    const p = t[k] as [number, number] | undefined;
    if (p && p[1] < p[0]) ctx.addIssue({ code: 'custom', path: [k], message: `expected the critical bound (${p[1]}) at or above the warning bound (${p[0]})` });
  }
  const sl = t.serviceLevel as [number, number] | undefined;
  if (sl && sl[1] > sl[0]) ctx.addIssue({ code: 'custom', path: ['serviceLevel'], message: `expected the critical service level (${sl[1]}) at or below the warning one (${sl[0]})` });
}

const siteThresholds = obj({
  callsWaiting: thresholdShape.callsWaiting.default(DEFAULT_THRESHOLDS.callsWaiting),
  longestWaitSec: thresholdShape.longestWaitSec.default(DEFAULT_THRESHOLDS.longestWaitSec),
  serviceLevel: thresholdShape.serviceLevel.default(DEFAULT_THRESHOLDS.serviceLevel),
  agentsFreeWarnAtMost: count.default(DEFAULT_THRESHOLDS.agentsFreeWarnAtMost),
  abandonedShare: thresholdShape.abandonedShare.default(DEFAULT_THRESHOLDS.abandonedShare),
}).superRefine(orderedThresholds);

const boardThresholds = obj({
  callsWaiting: thresholdShape.callsWaiting.optional(),
  longestWaitSec: thresholdShape.longestWaitSec.optional(),
  serviceLevel: thresholdShape.serviceLevel.optional(),
  agentsFreeWarnAtMost: count.optional(),
  abandonedShare: thresholdShape.abandonedShare.optional(),
}).superRefine(orderedThresholds);

const level = whole(0, 15);
const common = {
  id: name('a board id'),
  lang: oneOf(['en', 'fa', 'zh']).default('en'),
  title: text('a title, or null for the site or team name').nullable().default(null),
  queues: z.array(text('a queue name'), { error: expected('a list of queue names (empty = the whole site)') }).default(() => []),
  items: z.array(item, { error: expected('a list of items') }).min(1, { error: expected('at least one item') }).default(() => DEFAULT_ITEMS),
  labels: z.record(z.string(), text('a label'), { error: expected('a mapping of item to label') }).default(() => ({})),
  pageSize: whole(1).nullable().default(null),
  pageMs: duration(true).default(5 * SECOND),
  minIntervalMs: duration().default(250),
  thresholds: boardThresholds.prefault({}),
  brightness: obj({
    open: level.default(15),
    closed: level.default(4),
    schedules: z.array(text('a schedule name'), { error: expected('a list of schedule names') }).default(() => []),
  }).prefault({}),
  beepOnCritical: bool().default(false),
};

const alpha = obj({
  ...common,
  kind: z.literal('alpha'),
  port: text(`a serial device path such as '/dev/ttyUSB0'`),
  baudRate: z.union([z.literal(1200), z.literal(2400), z.literal(4800), z.literal(9600), z.literal(19200), z.literal(38400)], { error: expected('a baud rate: 1200, 2400, 4800, 9600, 19200 or 38400') }).default(9600),
  dataBits: z.union([z.literal(7), z.literal(8)], { error: expected('7 or 8') }).default(7),
  parity: oneOf(['even', 'none', 'odd']).default('even'),
  stopBits: z.union([z.literal(1), z.literal(2)], { error: expected('1 or 2') }).default(1),
  address: whole(0, 255).default(0),
  typeCode: z.string({ error: expected('one printable character') }).regex(/^[\x20-\x7e]$/, { error: expected('one printable character') }).default('Z'),
  rows: whole(7, 32).default(7),
  columns: whole(16, 255).default(80),
  colour: bool().default(true),
});

const i2cHelp = (v: unknown) => `expected an I2C address from 0x70 to 0x77, got ${show(v)}${typeof v === 'number' ? ` (0x${v.toString(16)})` : ''}`;
const i2cAddress = z
  .number({ error: (iss) => i2cHelp(iss.input) })
  .int({ error: (iss) => i2cHelp(iss.input) })
  .refine((n) => n >= 0x70 && n <= 0x77, { error: (iss) => i2cHelp(iss.input) });
const ht16k33 = obj({
  ...common,
  kind: z.literal('ht16k33'),
  bus: whole(0).default(1),
  addresses: z.preprocess((v) => (typeof v === 'number' ? [v] : v), z.array(i2cAddress, { error: expected('an I2C address 0x70–0x77 or a list of them') }).min(1)).default(() => [0x70]),
  variant: oneOf(['sevenSegment4', 'alphanumeric4', 'matrix8x8']).default('sevenSegment4'),
});

const max7219 = obj({
  ...common,
  kind: z.literal('max7219'),
  spiBus: whole(0).default(0),
  spiDevice: whole(0).default(0),
  chain: whole(1, 16).default(1),
  variant: oneOf(['sevenSegment8', 'matrix8x8']).default('sevenSegment8'),
  speedHz: whole(10_000, 10_000_000).default(1_000_000),
});

const web = obj({ ...common, kind: z.literal('web'), path: z.string({ error: expected('a URL path segment of letters, digits, - or _') }).regex(/^[A-Za-z0-9_-]+$/, { error: expected('a URL path segment of letters, digits, - or _') }).optional() });

type Raw = z.output<typeof alpha> | z.output<typeof ht16k33> | z.output<typeof max7219> | z.output<typeof web>;

function connection(b: Raw): BoardConnection {
  switch (b.kind) {
    case 'alpha':
      return { kind: 'alpha', port: b.port, baudRate: b.baudRate, dataBits: b.dataBits, parity: b.parity, stopBits: b.stopBits, address: b.address, typeCode: b.typeCode, rows: b.rows, columns: b.columns, colour: b.colour };
    case 'ht16k33':
      return { kind: 'ht16k33', bus: b.bus, addresses: b.addresses, variant: b.variant };
    case 'max7219':
      return { kind: 'max7219', spiBus: b.spiBus, spiDevice: b.spiDevice, chain: b.chain, variant: b.variant, speedHz: b.speedHz };
    case 'web':
      return { kind: 'web', path: b.path ?? b.id };
  }
}

/** Why this hardware cannot show this language, or null when it can. */
export function languageProblem(c: BoardConnection, lang: 'en' | 'fa' | 'zh'): string | null {
  if (lang === 'en' || c.kind === 'web') return null;
  const what = lang === 'fa' ? 'Persian' : 'Chinese';
  if (c.kind === 'alpha')
    return c.rows >= 16 ? null : `${what} needs a sign at least 16 LED rows high (its glyphs are 16 rows); this sign has ${c.rows}: use lang: en here, or a taller sign`;
  if (c.kind === 'ht16k33' && c.variant === 'matrix8x8') return `${what} needs at least 16 LED rows; an 8×8 matrix has 8: use lang: en`;
  if (c.kind === 'max7219' && c.variant === 'matrix8x8') return `${what} needs at least 16 LED rows; MAX7219 8×8 matrices have 8: use lang: en`;
  return `${what} text cannot be shown on ${c.kind === 'ht16k33' && c.variant === 'alphanumeric4' ? '14-segment' : '7-segment'} digits (segments have no ${what} letters or digits): use lang: en`;
}

const board = z
  .discriminatedUnion('kind', [alpha, ht16k33, max7219, web], {
    error: (iss) =>
      iss.code === 'invalid_union' && iss.note === 'No matching discriminator'
        ? `expected kind 'alpha', 'ht16k33', 'max7219' or 'web', got ${show((iss.input as Record<string, unknown> | undefined)?.['kind'])}`
        : `expected a board mapping, got ${show(iss.input)}`,
  })
  .transform((b, ctx): BoardConfig => {
    const conn = connection(b);
    const problem = languageProblem(conn, b.lang);
    if (problem) ctx.addIssue({ code: 'custom', path: ['lang'], message: problem });
    return {
      id: b.id,
      kind: b.kind,
      connection: conn,
      lang: b.lang,
      title: b.title,
      queues: b.queues,
      items: b.items,
      labels: b.labels as Partial<Record<ItemId, string>>,
      pageSize: b.pageSize,
      pageMs: b.pageMs,
      minIntervalMs: b.minIntervalMs,
      thresholds: b.thresholds,
      brightness: b.brightness,
      beepOnCritical: b.beepOnCritical,
    };
  });

export const wallboardSection = obj({
  thresholds: siteThresholds.prefault({}),
  counterFreshMs: duration(true).default(15 * MINUTE),
  web: obj({
    host: text('an address to listen on, e.g. 0.0.0.0 or 127.0.0.1').default('127.0.0.1'),
    port: whole(0, 65535).default(8080),
    token: text('a token, or null for none').nullable().default(null),
  })
    .nullable()
    .default(null),
  boards: z.array(board, { error: expected('a list of boards') }).default(() => []),
})
  .prefault({})
  .transform(
    (w): WallboardConfig => ({ thresholds: w.thresholds, counterFreshMs: w.counterFreshMs, web: w.web, boards: w.boards }),
  );

/** Cross-references of the wallboard section: queues and schedules that must exist, ids and paths that must be unique. */
export function checkWallboard(
  w: WallboardConfig,
  known: { queues: readonly string[]; schedules: readonly string[] },
  report: (path: Array<string | number>, message: string) => void,
): void {
  const ids = new Map<string, number>();
  const paths = new Map<string, number>();
  w.boards.forEach((b, i) => {
    const at = (...rest: Array<string | number>) => ['wallboard', 'boards', i, ...rest];
    const firstId = ids.get(b.id);
    if (firstId !== undefined) report(at('id'), `duplicate board id '${b.id}' (first used by board ${firstId})`);
    else ids.set(b.id, i);
    b.queues.forEach((q, j) => {
      if (!known.queues.includes(q)) report(at('queues', j), `unknown queue '${q}' (known: ${known.queues.join(', ') || 'no queues are defined'})`);
    });
    b.brightness.schedules.forEach((s, j) => {
      if (!known.schedules.includes(s)) report(at('brightness', 'schedules', j), `unknown schedule '${s}' (known: ${known.schedules.join(', ') || 'no schedules are defined'})`);
    });
    if (b.connection.kind === 'web') {
      const firstPath = paths.get(b.connection.path);
      if (firstPath !== undefined) report(at('path'), `duplicate web board path '${b.connection.path}' (first used by board ${firstPath})`);
      else paths.set(b.connection.path, i);
      if (w.web === null) report(at('kind'), `a web board needs the web server: set wallboard.web (e.g. {host: 0.0.0.0, port: 8080})`);
    }
  });
}

/**
 * A trunk of `type: e1`: one E1 ISDN PRI span (drivers/e1). Everything the
 * hardware cannot do is refused here with the reason: timeslot 16 as a
 * B-channel, a decoder pool without data lines, a framer bridge address
 * outside the SC18IS602's range.
 */
import { z } from 'zod';
import type { E1TrunkConfig } from '../../gateway/config/types.ts';
import { bool, duration, name, obj, oneOf, SECOND, text, whole } from './fields.ts';
import { expected, show } from './messages.ts';

const ALL_TIMESLOTS = '1-15,17-31';
const TIMESLOTS_HELP = "timeslots as '1-15,17-31' or a list of numbers from 1 to 31, never 16 (the D-channel)";

/** '1-15,17-31' or [1, 2, 3] → sorted unique timeslots; undefined when it is not one of those. */
export function parseTimeslots(v: unknown): number[] | undefined {
  const parts = typeof v === 'string' ? v.split(',').map((p) => p.trim()) : Array.isArray(v) ? v : undefined;
  if (!parts || parts.length === 0) return undefined;
  const out = new Set<number>();
  for (const p of parts) {
    if (typeof p === 'number') out.add(p);
    else if (typeof p === 'string') {
      const m = /^(\d+)(?:-(\d+))?$/.exec(p);
      if (!m) return undefined;
      const [lo, hi] = [Number(m[1]), Number(m[2] ?? m[1])];
      if (hi < lo) return undefined;
      for (let ts = lo; ts <= hi; ts++) if (ts !== 16 || lo === hi) out.add(ts);
    } else return undefined;
  }
  const list = [...out].sort((a, b) => a - b);
  return list.every((ts) => Number.isInteger(ts) && ts >= 1 && ts <= 31 && ts !== 16) ? list : undefined;
}

const timeslots = z.unknown().transform((v, ctx) => {
  const list = parseTimeslots(v);
  if (!list) {
    ctx.issues.push({ code: 'custom', message: `expected ${TIMESLOTS_HELP}, got ${show(v)}`, input: v });
    return z.NEVER;
  }
  return list;
});

const line = text('a GPIO line name such as GPIO17');

const framer = z.union(
  [
    obj({ kind: z.literal('spi'), bus: whole(0), device: whole(0), speedHz: whole(1_000, 10_000_000).default(1_000_000) }),
    // SC18IS602B: A2–A0 pins give 0x28–0x2F (data sheet §7.1); slave selects SS0–SS3.
    obj({ kind: z.literal('sc18is602'), bus: whole(0), address: whole(0x28, 0x2f), slaveSelect: whole(0, 3).default(0), speedHz: whole(58_000, 1_843_000).default(461_000) }),
  ],
  { error: (iss) => `expected {kind: spi, bus, device} or {kind: sc18is602, bus, address} or null, got ${show(iss.input)}` },
);

export const e1Trunk = obj({
  id: name('a trunk id'),
  type: z.literal('e1'),
  timeslots: timeslots.default(() => parseTimeslots(ALL_TIMESLOTS)!),
  dchannel: obj({
    port: text(`a serial device path such as '/dev/ttyAMA1'`),
    baudRate: whole(9_600, 4_000_000).default(115_200),
  }),
  overlap: obj({ enabled: bool().default(false), digits: whole(1, 32).nullable().default(null), timeoutMs: duration(true).default(5 * SECOND) }).prefault({}),
  callingNumber: text('a number presented on outgoing calls').nullable().default(null),
  framer: framer.nullable().default(null),
  alarms: obj({ pollMs: duration(true).default(500), raiseMs: duration().default(2_500), clearMs: duration().default(10 * SECOND) }).prefault({}),
  dtmf: obj({
    backend: oneOf(['libgpiod', 'onoff', 'rpio']).default('libgpiod'),
    q: z.tuple([line, line, line, line], { error: expected('the four data lines [Q1, Q2, Q3, Q4], Q1 the lowest bit') }),
    decoders: z.array(obj({ std: line, toe: line }), { error: expected('a list of {std, toe} lines, one per MT8870') }).min(1, { error: expected('at least one decoder') }),
    minToneMs: whole(5, 200).default(20),
    settleMs: whole(0, 1_000).default(5),
  })
    .nullable()
    .default(null),
  board: obj({ kind: oneOf(['sim']).default('sim') }).prefault({}),
  timers: obj({
    t303: duration(true).optional(),
    t305: duration(true).optional(),
    t308: duration(true).optional(),
    t309: duration(true).optional(),
    t310: duration(true).optional(),
    t313: duration(true).optional(),
    t316: duration(true).optional(),
    t322: duration(true).optional(),
  }).prefault({}),
}).transform((t): E1TrunkConfig => {
  const timers = Object.fromEntries(Object.entries(t.timers).filter(([, v]) => v !== undefined)) as E1TrunkConfig['timers'];
  return { ...t, channels: t.timeslots.length, timers };
});

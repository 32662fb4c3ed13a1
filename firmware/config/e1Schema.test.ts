import { describe, expect, it } from 'vitest';
import { e1Trunk, parseTimeslots } from './e1Schema.ts';

const base = { id: 'e1a', type: 'e1', dchannel: { port: '/dev/ttyAMA1' } };
const errors = (input: unknown): string[] => {
  const r = e1Trunk.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the e1 trunk config', () => {
  it('defaults to the 30 channels of a span, no framer access, no DTMF decoders, the simulated board', () => {
    const t = e1Trunk.parse(base);
    expect(t).toMatchObject({ channels: 30, dchannel: { port: '/dev/ttyAMA1', baudRate: 115_200 }, framer: null, dtmf: null, board: { kind: 'sim' }, overlap: { enabled: false, timeoutMs: 5_000 }, alarms: { pollMs: 500, raiseMs: 2_500, clearMs: 10_000 }, timers: {} });
    expect(t.timeslots).toEqual([...Array.from({ length: 15 }, (_, i) => i + 1), ...Array.from({ length: 15 }, (_, i) => i + 17)]);
  });

  it('reads timeslots as ranges or a list; 16 is the D-channel and never a B-channel', () => {
    expect(parseTimeslots('1-10')).toHaveLength(10);
    expect(parseTimeslots('1-31')).toHaveLength(30);
    expect(parseTimeslots([1, 2, 31])).toEqual([1, 2, 31]);
    expect(parseTimeslots('16')).toBeUndefined();
    expect(parseTimeslots([0])).toBeUndefined();
    expect(parseTimeslots('5-2')).toBeUndefined();
    expect(e1Trunk.parse({ ...base, timeslots: '1-10' }).channels).toBe(10);
    expect(errors({ ...base, timeslots: [16] })).toEqual([expect.stringMatching(/^timeslots: expected timeslots as '1-15,17-31'.*never 16.*got a list/)]);
  });

  it('a framer over SPI or through an SC18IS602 bridge at its own addresses', () => {
    expect(e1Trunk.parse({ ...base, framer: { kind: 'spi', bus: 0, device: 1 } }).framer).toEqual({ kind: 'spi', bus: 0, device: 1, speedHz: 1_000_000 });
    expect(e1Trunk.parse({ ...base, framer: { kind: 'sc18is602', bus: 1, address: 0x28 } }).framer).toMatchObject({ slaveSelect: 0 });
    expect(errors({ ...base, framer: { kind: 'sc18is602', bus: 1, address: 0x70 } })).not.toEqual([]);
    expect(errors({ ...base, framer: { kind: 'usb' } })[0]).toMatch(/^framer: expected \{kind: spi/);
  });

  it('a DTMF decoder pool needs its four data lines and at least one decoder', () => {
    const dtmf = { q: ['GPIO5', 'GPIO6', 'GPIO13', 'GPIO19'], decoders: [{ std: 'GPIO26', toe: 'GPIO20' }] };
    expect(e1Trunk.parse({ ...base, dtmf }).dtmf).toEqual({ backend: 'libgpiod', minToneMs: 20, settleMs: 5, ...dtmf });
    expect(errors({ ...base, dtmf: { ...dtmf, q: ['GPIO5'] } })[0]).toMatch(/^dtmf\.q: expected the four data lines/);
    expect(errors({ ...base, dtmf: { ...dtmf, decoders: [] } })[0]).toMatch(/^dtmf\.decoders: expected at least one decoder/);
    expect(errors({ ...base, dtmf: { ...dtmf, backend: 'wiringpi' } })[0]).toMatch(/^dtmf\.backend: expected one of 'libgpiod', 'onoff', 'rpio'/);
  });

  it('Q.931 timers as durations; unknown keys named', () => {
    expect(e1Trunk.parse({ ...base, timers: { t303: '6s', t310: 60_000 } }).timers).toEqual({ t303: 6_000, t310: 60_000 });
    expect(errors({ ...base, timers: { t999: '1s' } })[0]).toMatch(/t999/);
    expect(errors({ id: 'e1a', type: 'e1' })[0]).toMatch(/^dchannel: /);
  });
});

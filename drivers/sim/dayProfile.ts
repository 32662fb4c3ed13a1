import { localParts } from '../../gateway/core/localTime.ts';
import { CcgateError } from '../../gateway/core/errors.ts';
import { exponential, type Random } from '../../gateway/core/Random.ts';

/**
 * Relative call volume per local hour (00:00–23:00) of a typical call-centre
 * day: quiet at night, a morning peak 10:00–13:00, a dip at lunch, an evening
 * peak 16:00–19:00. Only the ratios matter; {@link normaliseShape} scales it.
 */
export const DEFAULT_HOURLY_SHAPE: readonly number[] = [
  0.3, 0.2, 0.15, 0.1, 0.1, 0.2, // 00–05
  0.6, 1.5, 3.5, 5.5, 8.0, 8.5, // 06–11
  8.5, 7.0, 6.0, 6.5, 8.0, 8.5, // 12–17
  8.0, 6.0, 4.0, 2.5, 1.5, 0.8, // 18–23
];

const MS_PER_HOUR = 3_600_000;

/** Scale an hourly shape to fractions of the day that sum to 1; throws CONFIG_INVALID on a bad shape. */
export function normaliseShape(shape: readonly number[]): number[] {
  const bad = shape.length !== 24 || shape.some((w) => !Number.isFinite(w) || w < 0);
  const total = bad ? 0 : shape.reduce((s, w) => s + w, 0);
  if (bad || total <= 0) {
    throw new CcgateError('CONFIG_INVALID', 'hourlyShape: expected 24 non-negative numbers with a positive sum', {
      key: 'hourlyShape',
      shape: [...shape],
    });
  }
  return shape.map((w) => w / total);
}

/** A flat day at `callsPerHour`: pass it into a TrafficProfile (`{...constantRate(120), ...}`). */
export function constantRate(callsPerHour: number): { callsPerDay: number; hourlyShape: number[] } {
  return { callsPerDay: callsPerHour * 24, hourlyShape: new Array<number>(24).fill(1) };
}

/**
 * Arrival rate of a non-homogeneous Poisson process that is constant within
 * each local hour of the site time zone (so DST shifts move the peaks with
 * the clock on the wall, as real traffic does).
 */
export class DayRate {
  /** Fraction of the day's calls per local hour. */
  readonly fractions: readonly number[];
  /** Highest rate of the day, calls per ms (the thinning envelope). */
  private readonly maxPerMs: number;

  constructor(
    readonly callsPerDay: number,
    shape: readonly number[],
    readonly timeZone: string,
  ) {
    this.fractions = normaliseShape(shape);
    this.maxPerMs = (callsPerDay * Math.max(...this.fractions)) / MS_PER_HOUR;
  }

  /** Expected calls in local hour `hour`. */
  expectedInHour(hour: number): number {
    return this.callsPerDay * (this.fractions[hour] ?? 0);
  }

  /** Rate at an instant, calls per ms. */
  ratePerMs(at: number): number {
    return this.expectedInHour(localParts(at, this.timeZone).hour) / MS_PER_HOUR;
  }

  /**
   * The next arrival strictly after `from` (epoch ms), by thinning (Lewis &
   * Shedler 1979): candidates at the peak rate, each kept with probability
   * rate(t)/peak. Infinity when the rate is zero all day.
   */
  nextArrival(from: number, random: Random): number {
    if (this.maxPerMs <= 0) return Infinity;
    let t = from;
    for (;;) {
      t += exponential(random, 1 / this.maxPerMs);
      if (random.next() * this.maxPerMs < this.ratePerMs(t)) return t;
    }
  }
}

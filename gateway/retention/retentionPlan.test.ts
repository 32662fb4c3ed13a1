import { describe, expect, it } from 'vitest';
import type { RetentionConfig } from '../config/types.ts';
import { lostRange, planCut, type LogState } from './retentionPlan.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const config: RetentionConfig = { eventsKeepDays: 7, eventsMaxDays: 30, maxDatabaseMB: 100 };
const state = (over: Partial<LogState>): LogState => ({ now: NOW, first: { seq: 1, at: NOW - 10 * DAY }, lastSeq: 1000, cursors: [], usedBytes: 1 << 20, ...over });

describe('planCut', () => {
  it('cuts up to the slowest durable consumer, events older than eventsKeepDays', () => {
    expect(planCut(config, state({ cursors: [800, 400] }))).toEqual({ maxSeq: 400, beforeMs: NOW - 7 * DAY, reason: 'kept' });
  });

  it('with no durable consumer, every old event may go (in-memory subscribers never hold it back)', () => {
    expect(planCut(config, state({ cursors: [] }))).toEqual({ maxSeq: 1000, beforeMs: NOW - 7 * DAY, reason: 'kept' });
  });

  it('nothing to do when the oldest event is younger than the period', () => {
    expect(planCut(config, state({ first: { seq: 1, at: NOW - 6 * DAY } }))).toBeNull();
  });

  it('nothing to do when the slowest consumer has not passed the head', () => {
    expect(planCut(config, state({ first: { seq: 50, at: NOW - 10 * DAY }, cursors: [49] }))).toBeNull();
  });

  it('an empty log, or one holding only its newest event, is left alone', () => {
    expect(planCut(config, state({ first: null }))).toBeNull();
    expect(planCut(config, state({ first: { seq: 1000, at: NOW - 40 * DAY } }))).toBeNull();
  });

  it('the age cap wins over a lagging consumer', () => {
    expect(planCut(config, state({ first: { seq: 1, at: NOW - 31 * DAY }, cursors: [0] }))).toEqual({ maxSeq: 1000, beforeMs: NOW - 30 * DAY, reason: 'age' });
  });

  it('the size cap wins over everything, age included', () => {
    const over = state({ first: { seq: 1, at: NOW - 31 * DAY }, cursors: [0], usedBytes: 101 * 1024 * 1024 });
    expect(planCut(config, over)).toEqual({ maxSeq: 1000, beforeMs: NOW, reason: 'size' });
  });
});

describe('lostRange', () => {
  it('names what a consumer had not read of a forced cut', () => {
    expect(lostRange(10, { from: 1, to: 50 })).toEqual({ fromSeq: 11, toSeq: 50 });
    expect(lostRange(0, { from: 20, to: 50 })).toEqual({ fromSeq: 20, toSeq: 50 });
  });

  it('nothing is lost by a consumer already past the cut', () => {
    expect(lostRange(50, { from: 1, to: 50 })).toBeNull();
    expect(lostRange(70, { from: 1, to: 50 })).toBeNull();
  });
});

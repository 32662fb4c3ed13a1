import { describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../gateway/config/types.ts';
import { parseConfig } from './loadConfig.ts';
import { show, unknownKeyMessage } from './messages.ts';
import { gatewayConfigSchema } from './schema.ts';

const lines = (...l: string[]): string => l.join('\n') + '\n';

describe('defaults', () => {
  it.each([
    ['an empty file', ''],
    ['a comment-only file', '# nothing configured yet\n'],
    ['an empty mapping', '{}'],
  ])('%s gives a working one-queue site', (_what, text) => {
    const c = parseConfig(text, 'empty.yaml');
    expect(c.site).toEqual({
      name: 'ccgate',
      timeZone: 'UTC',
      agentCallbackWindowMs: 30 * 60_000,
      agentCallbackOffer: 'unpaused',
      drainMs: 60_000,
      language: 'en',
      numbering: { countryCode: null, trunkPrefix: '0', internationalPrefix: '00' },
    });
    expect(c.sms).toMatchObject({ enabled: true, quietHours: { from: '21:00', to: '08:00' }, dailyCap: 500, attempts: 3, optOutText: null });
    expect(c.history).toEqual({ keepDays: 90 });
    expect(c.campaigns.smsFallback).toBeNull();
    expect(c.schedules).toEqual({});
    expect(c.store).toEqual({ path: './var/ccgate.db', groupCommitMs: 5000 });
    expect(c.queueLog).toEqual({ path: './var/queue_log', rotate: { maxMB: 20, daily: true, keep: 30 } });
    expect(c.retention).toEqual({ eventsKeepDays: 7, eventsMaxDays: 30, maxDatabaseMB: 1024 });
    expect(c.api).toEqual({ socketPath: './var/ccgate.sock' });
    expect(c.log).toEqual({ level: 'info' });
    expect(c.kpi).toEqual({
      serviceLevelSec: 20,
      serviceLevelTarget: 0.8,
      shortAbandonSec: 5,
      slAbandonTreatment: 'ignored',
      fcrWindowHours: 24,
    });
    expect(Object.keys(c.queues)).toEqual(['general']);
    expect(c.ivr.entry).toBe('main');
    expect(c.ivr.menus.main?.options).toEqual({ '1': { queue: 'general' } });
    expect(c.agents).toEqual([]);
    expect(c.vip).toEqual([]);
    expect(c.trunks).toEqual([{ id: 'sim1', type: 'sim', channels: 8, bridge: 'ownChannel' }]);
    expect(c.campaigns).toEqual({
      maxConcurrent: 2,
      callsPerMinute: 6,
      attempts: 3,
      retryGapMs: 10 * 60_000,
      ringTimeoutMs: 30_000,
      agentQueue: null,
      keepFreeLines: 1,
      smsFallback: null,
    });
  });

  it('fills every queue default', () => {
    const q = parseConfig('', 'empty.yaml').queues.general;
    expect(q).toEqual({
      name: 'General',
      strategy: 'longestIdle',
      ringTimeoutMs: 15_000,
      wrapUpMs: 10_000,
      autoPauseAfter: 3,
      maxWaitMs: 0,
      overflow: { hangup: true },
      weight: 0,
      announce: { everyMs: 60_000, position: true, estimatedWait: true },
      holdPrompt: 'queue-hold',
      callback: {
        enabled: true,
        offerAtPosition: 7,
        offerAtEstimatedWaitMs: 0,
        mode: 'agentFirst',
        attempts: 3,
        retryGapMs: 120_000,
        ringTimeoutMs: 30_000,
        expiryMs: 4 * 3_600_000,
        withheld: 'skip',
      },
      survey: { enabled: true, prompt: 'survey-question', thanksPrompt: 'survey-thanks', timeoutMs: 10_000, sms: { when: 'off', text: null } },
      sms: { callbackBooked: null, callbackMissed: null },
      agentCallbackWaitMs: 60_000,
      joinEmpty: 'noneLoggedIn',
      leaveWhenEmpty: 'noneLoggedIn',
      leaveEmptyAfterMs: 0,
    });
  });

  it('fills every menu default', () => {
    const m = parseConfig(lines('ivr:', '  menus:', '    main: {prompt: hello}', 'queues: {q: {}}'), 'f.yaml').ivr.menus.main;
    expect(m).toEqual({
      prompt: 'hello',
      options: {},
      firstDigitTimeoutMs: 5_000,
      interDigitTimeoutMs: 3_000,
      maxDigits: 1,
      retries: 3,
      invalidPrompt: 'ivr-invalid',
      timeoutPrompt: 'ivr-timeout',
      onFailure: { hangup: true, prompt: 'goodbye' },
    });
  });

  it('without an ivr section, keys 1–9 route to the queues in file order', () => {
    const c = parseConfig(lines('queues:', '  sales: {}', '  support: {}'), 'f.yaml');
    expect(c.ivr.menus.main?.options).toEqual({ '1': { queue: 'sales' }, '2': { queue: 'support' } });
  });

  it('keeps partial sections and fills the rest', () => {
    const c = parseConfig(lines('queues:', '  q:', '    callback: {attempts: 5}', 'kpi: {serviceLevelSec: 30}'), 'f.yaml');
    expect(c.queues.q?.callback.attempts).toBe(5);
    expect(c.queues.q?.callback.retryGapMs).toBe(120_000);
    expect(c.kpi.serviceLevelSec).toBe(30);
    expect(c.kpi.serviceLevelTarget).toBe(0.8);
  });

  it('never shares default objects between parses', () => {
    const a = parseConfig('', 'a.yaml');
    a.trunks.push({ id: 'x', type: 'sim', channels: 1, bridge: 'ownChannel' });
    a.agents.push({ id: 'z', name: 'z', endpoint: '1', queues: [] });
    const b = parseConfig('', 'b.yaml');
    expect(b.trunks).toHaveLength(1);
    expect(b.agents).toHaveLength(0);
  });
});

describe('shorthands and derived values', () => {
  const c = parseConfig(
    lines(
      'schedules:',
      '  office: {weekly: {mon: 09:00-17:00, tue: [09:00-12:00, 13:00-17:00]}}',
      'queues:',
      '  sales: {ringTimeoutMs: 1h30m, wrapUpMs: 2500, maxWaitMs: "1.5s"}',
      '  support: {name: Technical support}',
      'agents:',
      "  - {id: a1, endpoint: '+989120000001', queues: [sales, {queue: support, penalty: 2}], wrapUpMs: 45s}",
      'vip:',
      "  - '+989120009001'",
      "  - {number: '+989120009002', priority: 7, name: Boss}",
    ),
    'f.yaml',
  );

  it('a single interval may be written without a list', () => {
    expect(c.schedules.office?.weekly).toEqual({ mon: ['09:00-17:00'], tue: ['09:00-12:00', '13:00-17:00'] });
    expect(c.schedules.office?.holidays).toEqual([]);
  });

  it('durations accept unit strings and plain milliseconds', () => {
    expect(c.queues.sales?.ringTimeoutMs).toBe(5_400_000);
    expect(c.queues.sales?.wrapUpMs).toBe(2_500);
    expect(c.queues.sales?.maxWaitMs).toBe(1_500);
    expect(c.agents[0]?.wrapUpMs).toBe(45_000);
  });

  it('queue name defaults to its key; agent name to its id', () => {
    expect(c.queues.sales?.name).toBe('sales');
    expect(c.queues.support?.name).toBe('Technical support');
    expect(c.agents[0]?.name).toBe('a1');
  });

  it('agent queues may be plain names (penalty 0)', () => {
    expect(c.agents[0]?.queues).toEqual([
      { queue: 'sales', penalty: 0 },
      { queue: 'support', penalty: 2 },
    ]);
  });

  it('a VIP may be a plain number (priority 1)', () => {
    expect(c.vip).toEqual([
      { number: '+989120009001', priority: 1 },
      { number: '+989120009002', priority: 7, name: 'Boss' },
    ]);
  });

  it('the schema output is a GatewayConfig', () => {
    const parsed: GatewayConfig = gatewayConfigSchema.parse({});
    expect(parsed.queues.general?.name).toBe('General');
  });
});

describe('message helpers', () => {
  it.each([
    ['ringTimeout', ['ringTimeoutMs', 'wrapUpMs'], "unknown key 'ringTimeout' (did you mean 'ringTimeoutMs'?)"],
    ['RingTimeoutMs', ['ringTimeoutMs'], "unknown key 'RingTimeoutMs' (did you mean 'ringTimeoutMs'?)"],
    ['colour', ['name', 'strategy'], "unknown key 'colour' (allowed: name, strategy)"],
  ])('unknownKeyMessage(%s)', (key, allowed, want) => {
    expect(unknownKeyMessage(key, allowed)).toBe(want);
  });

  it.each([
    [undefined, 'nothing (the key is missing)'],
    ['x', "'x'"],
    [-2, '-2'],
    [null, 'null'],
    [[1], 'a list'],
    [{ a: 1 }, 'a mapping'],
    ['a'.repeat(50), `'${'a'.repeat(40)}…'`],
  ])('show(%j) → %s', (v, want) => {
    expect(show(v)).toBe(want);
  });
});

import { describe, expect, it } from 'vitest';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { PromptCatalog, sayClipIds } from './PromptCatalog.ts';

describe('sayClipIds', () => {
  it.each([
    ['digits', '0612*#', ['digit-0', 'digit-6', 'digit-1', 'digit-2', 'digit-star', 'digit-hash']],
    ['digits', 305, ['digit-3', 'digit-0', 'digit-5']],
    ['number', 0, ['number-0']],
    ['number', 15, ['number-15']],
    ['number', '20', ['number-20']],
    ['number', 21, ['digit-2', 'digit-1']],
    ['number', -3, ['digit-3']],
    ['number', 2.5, ['digit-2', 'digit-5']],
    ['minutes', 3, ['number-3', 'minutes']],
    ['minutes', 45, ['digit-4', 'digit-5', 'minutes']],
  ] as const)('%s %s → %o', (kind, value, ids) => {
    expect(sayClipIds(kind, value)).toEqual(ids);
  });
});

describe('PromptCatalog', () => {
  it('resolves the prompt, then each say-value, with nominal or overridden durations', () => {
    const catalog = new PromptCatalog({ durations: { 'queue-position': 3_100, minutes: 700 } });
    expect(catalog.resolve({ id: 'queue-position', say: [{ kind: 'number', value: 4 }, { kind: 'minutes', value: 12 }] })).toEqual([
      { id: 'queue-position', durationMs: 3_100 },
      { id: 'number-4', durationMs: 600 },
      { id: 'number-12', durationMs: 600 },
      { id: 'minutes', durationMs: 700 },
    ]);
    expect(new PromptCatalog().resolve({ id: 'welcome' })).toEqual([{ id: 'welcome', durationMs: 2_000 }]);
    expect(PromptCatalog.totalMs(catalog.resolve({ id: 'x', say: [{ kind: 'digits', value: '12' }] }))).toBe(2_000 + 1_200);
  });

  it('drops prompt ids that are not safe file names / AT arguments, and logs them', () => {
    const { logger, records } = capturingLogger();
    const catalog = new PromptCatalog({ logger });
    for (const bad of ['../etc/passwd', 'a"b', 'C:\\x', 'two words', '', '.hidden', 'a..b']) {
      expect(catalog.resolve({ id: bad }), bad).toEqual([]);
    }
    expect(records.filter((r) => r.msg === 'prompt id is not a safe file name; skipped')).toHaveLength(7);
    expect(catalog.resolve({ id: 'ivr.main-menu_2' })).toHaveLength(1);
  });

  describe('language folders', () => {
    const held = new Set(['fa/welcome', 'fa/digit-1', 'welcome', 'queue-position', 'digit-1', 'digit-2', 'hold-music', 'en-GB/welcome']);
    const catalog = new PromptCatalog({ has: (id) => held.has(id), durations: { 'fa/welcome': 2_500 } });

    it.each([
      ['the language clip when held', { id: 'welcome', language: 'fa' }, ['fa/welcome']],
      ['the top-level clip when the language has none', { id: 'hold-music', language: 'fa' }, ['hold-music']],
      ['the top-level clip for a language with no folder', { id: 'welcome', language: 'en' }, ['welcome']],
      ['the top-level clip without a language', { id: 'welcome' }, ['welcome']],
      ['a language with a region', { id: 'welcome', language: 'en-GB' }, ['en-GB/welcome']],
      ['say clips per clip, each from its language or the top level', { id: 'queue-position', language: 'fa', say: [{ kind: 'digits', value: '12' }] }, ['queue-position', 'fa/digit-1', 'digit-2']],
    ] as const)('%s', (_, prompt, ids) => {
      expect(catalog.resolve(prompt).map((c) => c.id)).toEqual(ids);
    });

    it('takes the duration of the clip chosen', () => {
      expect(catalog.resolve({ id: 'welcome', language: 'fa' })).toEqual([{ id: 'fa/welcome', durationMs: 2_500 }]);
      expect(catalog.resolve({ id: 'welcome', language: 'en' })).toEqual([{ id: 'welcome', durationMs: 2_000 }]);
    });

    it('without `has`, a language clip is used only when the durations manifest lists it', () => {
      const manifest = new PromptCatalog({ durations: { 'fa/welcome': 2_500 } });
      expect(manifest.resolve({ id: 'welcome', language: 'fa' }).map((c) => c.id)).toEqual(['fa/welcome']);
      expect(manifest.resolve({ id: 'goodbye', language: 'fa' }).map((c) => c.id)).toEqual(['goodbye']);
      expect(new PromptCatalog().resolve({ id: 'welcome', language: 'fa' }).map((c) => c.id)).toEqual(['welcome']);
    });

    it('ignores, and logs, a language that is not a safe folder name', () => {
      const { logger, records } = capturingLogger();
      const any = new PromptCatalog({ logger, has: () => true });
      for (const bad of ['../x', 'fa/..', 'FA', 'f', 'fa\\x', 'fa x']) {
        expect(any.resolve({ id: 'welcome', language: bad }).map((c) => c.id), bad).toEqual(['welcome']);
      }
      expect(records.filter((r) => r.msg === 'prompt language is not a safe folder name; top-level clips used')).toHaveLength(6);
    });
  });
});

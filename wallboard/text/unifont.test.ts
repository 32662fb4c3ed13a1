import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import vectors from '../../test/fixtures/text-shaping-vectors.json' with { type: 'json' };
import { isCcgateError } from '../../gateway/core/errors.ts';
import { subsetCodePoints } from '../fonts/subsetChars.ts';
import { decodeHexGlyph } from './hexFont.ts';
import { shape } from './shape.ts';
import { regionHex } from './testHelpers.ts';
import { loadUnifont, SHIPPED_SUBSET_HEX } from './unifont.ts';

/** The shipped subset alone: what a unit without the Debian package can draw. */
const font = loadUnifont({ systemHexPath: null });

const samples = vectors.unifont_glyph_samples as Record<string, { width: number; height: number; hex_rows: string }>;

/** Built-in wallboard labels (issue #10), zh and fa, as the label table uses them. */
const LABELS = {
  fa: [
    'در انتظار', 'بیشترین انتظار', 'آماده', 'در مکالمه', 'مکث', 'سطح خدمت امروز', 'سطح خدمت این ساعت', 'پاسخ‌داده',
    'رهاشده', 'تماس برگشتی', 'نظرسنجی', 'کارشناس لازم', 'ایمیل', 'گفتگو', 'واتس‌اپ', 'شبکه اجتماعی', 'کل مرکز',
    'پرواز', 'قطار', 'هتل', 'پشتیبانی',
  ],
  zh: [
    '排队', '最长等待', '空闲', '通话中', '暂停', '今日服务水平', '本小时服务水平', '已接听', '放弃', '回拨', '满意度',
    '需要座席', '邮件', '聊天', '社交', '全站', '航班', '火车', '酒店', '客服', '团队', '消息', '会议', '点',
  ],
  en: [
    'Waiting', 'Longest wait', 'Ready', 'On call', 'Paused', 'SL today', 'SL this hour', 'Answered', 'Abandoned',
    'Callbacks', 'Survey', 'Agents needed', 'Emails', 'Chats', 'Social', 'Site', 'WhatsApp',
  ],
};

describe('decodeHexGlyph', () => {
  it('reads 8x16 and 16x16 cells, MSB leftmost', () => {
    const g = decodeHexGlyph('00000020201010080804040400000000'); // U+06F1
    expect([g.width, g.height]).toEqual([8, 16]);
    // Row 3 is 0x20: one pixel at x = 2.
    expect([...g.bits.slice(3 * 8, 4 * 8)]).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
    expect(decodeHexGlyph('0'.repeat(64)).width).toBe(16);
  });
});

describe('shipped Unifont subset', () => {
  it.each(Object.entries(samples))('%s equals the fixture rows', (key, s) => {
    const g = font.glyph(parseInt(key.slice(2), 16));
    expect(g).toBeDefined();
    if (!g) return;
    expect([g.width, g.height]).toEqual([s.width, s.height]);
    expect(regionHex({ width: g.width, height: g.height, data: g.bits }, 0, g.width)).toBe(s.hex_rows);
  });

  it.each(['fa', 'zh', 'en'] as const)('draws every character of the %s labels', (lang) => {
    for (const label of LABELS[lang]) {
      expect(font.missing(label), label).toEqual([]);
      expect(font.missing(shape(label)), `${label} shaped`).toEqual([]);
    }
  });

  it('draws Persian digits, percent and separators, the GB 2312 level-1 hanzi and date characters', () => {
    expect(font.missing('۰۱۲۳۴۵۶۷۸۹٪٬٫−:/')).toEqual([]);
    expect(font.missing('年月日星期一二三四五六啊阿座')).toEqual([]);
    // A rare ideograph (GB 2312 level 2 has it, level 1 does not) is left to the Debian file.
    expect(font.missing('鑫')).toEqual(['鑫']);
  });

  it('holds every code point make-subset was asked for (regenerate it after changing subsetChars.ts)', () => {
    const absent = subsetCodePoints().filter((cp) => font.glyph(cp) === undefined);
    expect(absent.map((cp) => cp.toString(16))).toEqual([]);
  });

  it('stays small', () => {
    expect(statSync(SHIPPED_SUBSET_HEX).size).toBeLessThan(600 * 1024);
  });

  it('never reports or looks up default-ignorables and controls', () => {
    expect(font.missing('\u200C\u200D\u200E\u200F\u061C\u2066\u2069\n')).toEqual([]);
    expect(font.glyph(0x200c)).toBeUndefined();
  });
});

describe('loadUnifont sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ccgate-unifont-'));
  const XIN = '鑫'.codePointAt(0) ?? 0;
  const system = join(dir, 'system.hex');
  writeFileSync(system, `946B:${'F'.repeat(64)}\n`);

  it('falls back to the full system file, read only on the first miss', () => {
    const f = loadUnifont({ systemHexPath: system });
    expect(f.glyph(0x4e2d)?.width).toBe(16);
    expect(XIN).toBe(0x946b);
    expect(f.glyph(XIN)?.bits.every((b) => b === 1)).toBe(true);
    expect(f.missing('中鑫')).toEqual([]);
  });

  it('reads the system file at the first miss, not at load', () => {
    const late = join(dir, 'late.hex');
    const f = loadUnifont({ systemHexPath: late });
    expect(f.glyph(0x41)?.width).toBe(8); // found in the subset: system file not needed yet
    writeFileSync(late, `946B:${'0'.repeat(64)}\n`);
    expect(f.glyph(XIN)?.width).toBe(16);
  });

  it('works without the system file', () => {
    const f = loadUnifont({ systemHexPath: join(dir, 'absent.hex') });
    expect(f.glyph(XIN)).toBeUndefined();
    expect(f.glyph(0x0041)?.width).toBe(8);
  });

  it('searches extra files first', () => {
    const extra = join(dir, 'extra.hex');
    writeFileSync(extra, `# site glyphs\n0041:${'FF'.repeat(16)}\n`);
    const f = loadUnifont({ extraHexPaths: [extra], systemHexPath: null });
    expect(f.glyph(0x41)?.bits.every((b) => b === 1)).toBe(true);
    expect(f.glyph(0x42)?.bits.some((b) => b === 1)).toBe(true);
  });

  it('rejects a malformed file naming it and the line', () => {
    const bad = join(dir, 'bad.hex');
    writeFileSync(bad, '0041:00\n');
    let caught: unknown;
    try {
      loadUnifont({ extraHexPaths: [bad], systemHexPath: null });
    } catch (e) {
      caught = e;
    }
    expect(isCcgateError(caught, 'CONFIG_INVALID')).toBe(true);
    expect(String((caught as Error).message)).toContain(`${bad}: invalid configuration`);
    expect(String((caught as Error).message)).toContain('line 1');
  });
});

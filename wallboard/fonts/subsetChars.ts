import { isDefaultIgnorable } from '../text/ignorable.ts';

/**
 * What the shipped Unifont subset must hold. Shared by make-subset.ts (which
 * writes the subset) and the coverage tests (which check it), so the two
 * cannot drift apart.
 */

/** Inclusive code point ranges copied whole. */
export const SUBSET_RANGES: readonly (readonly [number, number])[] = [
  [0x0020, 0x007e], // printable ASCII
  [0x00a0, 0x00ff], // Latin-1 punctuation and letters (°, ×, «», …)
  [0x0600, 0x06ff], // Arabic, with Persian letters and digits U+06F0–06F9
  [0x2010, 0x2027], // dashes, quotes, bullet, ellipsis
  [0x2030, 0x205e], // per mille, primes, guillemets
  [0x2190, 0x2193], // arrows (trend marks)
  [0x2212, 0x2212], // MINUS SIGN: Intl writes negatives with it
  [0x3000, 0x303f], // CJK symbols and punctuation
  [0xfb50, 0xfdff], // Arabic Presentation Forms-A (Farsi yeh, peh, gaf, keheh forms)
  [0xfe70, 0xfeff], // Arabic Presentation Forms-B
  [0xff00, 0xffef], // halfwidth and fullwidth forms
  [0xfffd, 0xfffd], // REPLACEMENT CHARACTER
];

/**
 * Built-in wallboard labels and common queue/team words: every character is
 * kept even where GB2312 level 1 already has it, so the list states the need.
 */
export const SUBSET_STRINGS: readonly string[] = [
  // fa
  'در انتظار', 'بیشترین انتظار', 'آماده', 'در مکالمه', 'مکث', 'سطح خدمت امروز', 'سطح خدمت این ساعت',
  'پاسخ‌داده', 'رهاشده', 'تماس برگشتی', 'نظرسنجی', 'کارشناس لازم', 'ایمیل', 'گفتگو', 'واتس‌اپ',
  'شبکه اجتماعی', 'کل مرکز', 'پرواز', 'قطار', 'هتل', 'پشتیبانی',
  'اتصال ابری', 'رویداد ارسال‌نشده', 'قدیمی‌ترین ارسال‌نشده', 'آخرین فرمان', 'وصل', 'در حال اتصال', 'قطع', 'متوقف', 'انجام شد', 'رد شد',
  // zh
  '排队', '最长等待', '空闲', '通话中', '暂停', '今日服务水平', '本小时服务水平', '已接听', '放弃', '回拨',
  '满意度', '需要座席', '邮件', '聊天', '社交', '全站', '航班', '火车', '酒店', '客服', '团队', '消息', '会议',
  '点', '年月日时分秒星期一二三四五六日', '中',
  '云连接', '待发送事件', '最早未发送', '最近指令', '在线', '连接中', '断开', '停止', '成功', '失败',
];

/**
 * The 3,755 level-1 hanzi of GB 2312 (rows 16–55), decoded with the WHATWG
 * GBK decoder Node's full ICU provides. Row 55 stops at cell 89 (0xD7F9);
 * 0xD7FA–0xD7FE are unassigned in GB 2312 (GBK fills them).
 */
export function gb2312Level1(): string[] {
  const decoder = new TextDecoder('gb2312');
  const out: string[] = [];
  for (let row = 0xb0; row <= 0xd7; row++) {
    const lastCell = row === 0xd7 ? 0xf9 : 0xfe;
    for (let cell = 0xa1; cell <= lastCell; cell++) {
      const ch = decoder.decode(new Uint8Array([row, cell]));
      const cp = ch.codePointAt(0) ?? 0;
      if (ch.length === 1 && cp >= 0x4e00 && cp <= 0x9fff) out.push(ch);
    }
  }
  return out;
}

/** Every code point the subset is generated for, ascending; default-ignorables are left out (never drawn). */
export function subsetCodePoints(): number[] {
  const set = new Set<number>();
  for (const [lo, hi] of SUBSET_RANGES) for (let cp = lo; cp <= hi; cp++) set.add(cp);
  for (const s of SUBSET_STRINGS) for (const ch of s) set.add(ch.codePointAt(0) ?? 0);
  for (const ch of gb2312Level1()) set.add(ch.codePointAt(0) ?? 0);
  return [...set].filter((cp) => !isDefaultIgnorable(cp)).sort((a, b) => a - b);
}

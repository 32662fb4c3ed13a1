import type { Lang } from '../../model/BoardView.ts';

/** Escape text for HTML element content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page's own words, per board language (the figures and their labels come from the runtime). */
export interface PageStrings {
  connectionLost: string;
  waiting: string;
}

export const PAGE_STRINGS: Record<Lang, PageStrings> = {
  en: { connectionLost: 'Connection lost', waiting: 'Waiting for figures…' },
  fa: { connectionLost: 'اتصال قطع شد', waiting: 'در انتظار ارقام…' },
  zh: { connectionLost: '连接中断', waiting: '等待数据…' },
};

/** Reading direction of a board language. */
export function dirOf(lang: Lang): 'ltr' | 'rtl' {
  return lang === 'fa' ? 'rtl' : 'ltr';
}

/** `?token=…` (or '') to append to the page's own URLs, so sub-resources and the event stream pass the same check. */
export function tokenQuery(token: string | null): string {
  return token === null ? '' : `?token=${encodeURIComponent(token)}`;
}

import { describe, expect, it } from 'vitest';
import { boardCss } from './boardCss.ts';
import { boardPage } from './boardPage.ts';
import { escapeHtml, tokenQuery } from './html.ts';
import { sitePage } from './sitePage.ts';

describe('web board pages', () => {
  it('escapes configured text in markup and attributes', () => {
    expect(escapeHtml(`<b a="1">&'`)).toBe('&#60;b a=&#34;1&#34;&#62;&#38;&#39;');
    const html = boardPage({ path: 'team', lang: 'en', title: '<script>alert(1)</script>', token: 'a"b&c', heartbeatMs: 5000, lostAfterBeats: 3, cjkFont: null });
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('<h1 id="title">&#60;script&#62;alert(1)&#60;/script&#62;</h1>');
    // The token is URL-encoded in URLs, then escaped as an attribute.
    expect(html).toContain('data-events="/board/team/events?token=a%22b%26c"');
    expect(html).toContain('data-token="a&#34;b&#38;c"');
  });

  it('declares language and direction from the board, and the CJK font only when asked', () => {
    const fa = boardPage({ path: 'markaz', lang: 'fa', title: 'کل مرکز', token: null, heartbeatMs: 4000, lostAfterBeats: 2, cjkFont: null });
    expect(fa).toContain('<html lang="fa" dir="rtl">');
    expect(fa).toContain('data-heartbeat-ms="4000" data-lost-after="2" data-cjk-font=""');
    expect(fa).toContain('<div id="lost" role="status" hidden>اتصال قطع شد</div>');
    expect(fa).toContain('<link rel="stylesheet" href="/assets/board.css">');
    const zh = boardPage({ path: 'kefu', lang: 'zh', title: '客服', token: null, heartbeatMs: 5000, lostAfterBeats: 3, cjkFont: '0123456789ab' });
    expect(zh).toContain('<html lang="zh" dir="ltr">');
    expect(zh).toContain('data-cjk-font="0123456789ab"');
    expect(zh).toContain('>连接中断<');
  });

  it('lists every board on the overview in its own direction, with the token on each link', () => {
    const html = sitePage(
      [
        { path: 'team', lang: 'en', title: 'Team A' },
        { path: 'markaz', lang: 'fa', title: 'کل مرکز' },
      ],
      's3',
      null,
    );
    expect(html).toContain('<a href="/board/team?token=s3" lang="en" dir="ltr">Team A</a>');
    expect(html).toContain('<a href="/board/markaz?token=s3" lang="fa" dir="rtl">کل مرکز</a>');
    expect(sitePage([], null, null)).toContain('No web boards are configured.');
  });

  it('points the stylesheet at the shipped fonts only, with the token', () => {
    expect(tokenQuery(null)).toBe('');
    const css = boardCss('t');
    const urls = [...css.matchAll(/url\('([^']+)'\)/g)].map((m) => m[1]);
    expect(urls).toEqual(['/fonts/vazirmatn-arabic-700-normal.woff2?token=t', '/fonts/vazirmatn-latin-700-normal.woff2?token=t']);
    expect(css).not.toMatch(/https?:/);
    expect(css).toContain("font-family: 'Vazirmatn', 'ccgate CJK', sans-serif");
  });
});

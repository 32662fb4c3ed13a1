import type { FigureId, Lang } from '../model/BoardView.ts';

/**
 * Built-in labels per language, and the short Latin forms segment displays
 * can spell (at most 4 characters, readable on 7- or 14-segment digits).
 * Every character here is in the shipped bitmap font subset (a test checks).
 */
export interface Label {
  en: string;
  fa: string;
  zh: string;
  short: string;
}

export const FIGURE_LABELS: Readonly<Record<FigureId, Label>> = {
  callsWaiting: { en: 'Waiting', fa: 'در انتظار', zh: '排队', short: 'WAIT' },
  longestWait: { en: 'Longest wait', fa: 'بیشترین انتظار', zh: '最长等待', short: 'LONG' },
  agentsReady: { en: 'Ready', fa: 'آماده', zh: '空闲', short: 'RDY' },
  agentsOnCall: { en: 'On call', fa: 'در مکالمه', zh: '通话中', short: 'TALK' },
  agentsPaused: { en: 'Paused', fa: 'مکث', zh: '暂停', short: 'PAUS' },
  serviceLevelToday: { en: 'SL today', fa: 'سطح خدمت امروز', zh: '今日服务水平', short: 'SL' },
  serviceLevelHour: { en: 'SL this hour', fa: 'سطح خدمت این ساعت', zh: '本小时服务水平', short: 'SL H' },
  answered: { en: 'Answered', fa: 'پاسخ‌داده', zh: '已接听', short: 'ANS' },
  abandoned: { en: 'Abandoned', fa: 'رهاشده', zh: '放弃', short: 'ABN' },
  callbacksPending: { en: 'Callbacks', fa: 'تماس برگشتی', zh: '回拨', short: 'CB' },
  surveyMean: { en: 'Survey', fa: 'نظرسنجی', zh: '满意度', short: 'SURV' },
  agentsNeeded: { en: 'Agents needed', fa: 'کارشناس لازم', zh: '需要座席', short: 'NEED' },
  cloudLink: { en: 'Cloud link', fa: 'اتصال ابری', zh: '云连接', short: 'LINK' },
  outboxDepth: { en: 'Unsent events', fa: 'رویداد ارسال‌نشده', zh: '待发送事件', short: 'OUTB' },
  outboxAge: { en: 'Oldest unsent', fa: 'قدیمی‌ترین ارسال‌نشده', zh: '最早未发送', short: 'LAG' },
  lastCommand: { en: 'Last command', fa: 'آخرین فرمان', zh: '最近指令', short: 'CMD' },
  linesInService: { en: 'Lines', fa: 'خطوط', zh: '线路', short: 'LINE' },
};

/** A word shown as a value, per language; `latin` is what segment displays and 7-bit signs spell. */
export interface ValueWord {
  en: string;
  fa: string;
  zh: string;
  latin: string;
}

/** The cloud link's states as a board writes them. */
export const LINK_WORDS: Readonly<Record<'up' | 'connecting' | 'down' | 'stopped', ValueWord>> = {
  up: { en: 'up', fa: 'وصل', zh: '在线', latin: 'UP' },
  connecting: { en: 'connecting', fa: 'در حال اتصال', zh: '连接中', latin: 'CONN' },
  down: { en: 'down', fa: 'قطع', zh: '断开', latin: 'DOWN' },
  stopped: { en: 'stopped', fa: 'متوقف', zh: '停止', latin: 'OFF' },
};

/** A cloud command's outcome, after its name. */
export const OUTCOME_WORDS: Readonly<Record<'ok' | 'failed', ValueWord>> = {
  ok: { en: 'ok', fa: 'انجام شد', zh: '成功', latin: 'OK' },
  failed: { en: 'refused', fa: 'رد شد', zh: '失败', latin: 'ERR' },
};

/** Labels of the external counters other systems commonly feed; any other name shows as itself. */
export const COUNTER_LABELS: Readonly<Record<string, Label>> = {
  email: { en: 'Emails', fa: 'ایمیل', zh: '邮件', short: 'MAIL' },
  chat: { en: 'Chats', fa: 'گفتگو', zh: '聊天', short: 'CHAT' },
  whatsapp: { en: 'WhatsApp', fa: 'واتس‌اپ', zh: 'WhatsApp', short: 'WAPP' },
  social: { en: 'Social', fa: 'شبکه اجتماعی', zh: '社交', short: 'SOC' },
};

/** Title of a site-wide board when the config gives none. */
export const SITE_TITLE: Readonly<Record<Lang, string>> = { en: 'Site', fa: 'کل مرکز', zh: '全站' };

/** Shown instead of a value with no fresh figure. */
export const PLACEHOLDER = '--';

/** Short Latin form of a counter name for segment displays: its first four letters, upper case. */
export function counterShort(name: string): string {
  return COUNTER_LABELS[name]?.short ?? name.replace(/[^A-Za-z0-9]/g, '').slice(0, 4).toUpperCase();
}

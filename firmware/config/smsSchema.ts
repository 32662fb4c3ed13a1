import { z } from 'zod';
import { expected } from './messages.ts';
import { bool, duration, HOUR, MINUTE, obj, oneOf, SECOND, text, whole } from './fields.ts';

/**
 * Schema pieces of the SMS and history features (issue: SMS from the core):
 * texts per language, the survey by SMS, the site's `sms:` manners and
 * `history:` retention, and the numbering plan.
 */

const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
export const language = () => z.string({ error: expected(`a language code such as 'fa' or 'en'`) }).regex(LANG, { error: expected(`a language code such as 'fa' or 'en'`) });

/** `{fa: '…', en: '…'}`, or one string for every language. */
export const localisedText = z.preprocess(
  (v) => (typeof v === 'string' ? { '*': v } : v),
  z.record(z.string().regex(/^(\*|[a-z]{2,3}(-[A-Za-z0-9]{2,8})?)$/, { error: expected(`a language code such as 'fa' or 'en'`) }), text('an SMS text'), {
    error: expected(`a text, or texts per language such as {fa: '…', en: '…'}`),
  }),
);

const hhmmError = expected(`a time "HH:MM" in site time`);
const hhmm = z.string({ error: hhmmError }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: hhmmError });

export const smsSurvey = obj({
  when: oneOf(['off', 'agentHangup', 'unanswered']).default('off'),
  text: localisedText.nullable().default(null),
}).prefault({});

export const queueSms = obj({
  callbackBooked: localisedText.nullable().default(null),
  callbackMissed: localisedText.nullable().default(null),
}).prefault({});

const digitsError = (what: string) => expected(`${what}: digits only, e.g. '98'`);

export const numbering = obj({
  countryCode: z.string({ error: digitsError('a country calling code without +') }).regex(/^[1-9]\d{0,3}$/, { error: digitsError('a country calling code without +') }).nullable().default(null),
  trunkPrefix: z.string({ error: digitsError('a national trunk prefix') }).regex(/^\d{0,2}$/, { error: digitsError('a national trunk prefix') }).default('0'),
  internationalPrefix: z.string({ error: digitsError('an international prefix') }).regex(/^\d{2,4}$/, { error: digitsError('an international prefix') }).default('00'),
}).prefault({});

export const smsSection = obj({
  enabled: bool().default(true),
  quietHours: obj({ from: hhmm, to: hhmm }, `{from: 'HH:MM', to: 'HH:MM'}`).nullable().default(() => ({ from: '21:00', to: '08:00' })),
  maxAgeMs: duration(true).default(12 * HOUR),
  dailyCap: whole(0).default(500),
  stopWords: z.array(text('a stop word'), { error: expected('a list of stop words') }).default(() => ['STOP', 'لغو', '退订']),
  // A SIM800 takes 3–6 s per AT+CMGS; operators flag SIMs sending faster than a few a minute as spam.
  perModemGapMs: duration().default(10 * SECOND),
  attempts: whole(1, 10).default(3),
  retryGapMs: duration().default(2 * MINUTE),
  surveyReplyWindowMs: duration(true).default(24 * HOUR),
  optOutText: localisedText.nullable().default(null),
}).prefault({});

export const historySection = obj({
  keepDays: whole(1, 3650).default(90),
}).prefault({});

import type { ParsedConfig } from './schema.ts';

type Report = (path: Array<string | number>, message: string) => void;
type Texts = Readonly<Record<string, string>> | null | undefined;

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

/** Placeholders a text may use, by what it is sent for (gateway/sms/SmsPlanner.ts fills them). */
function checkPlaceholders(path: Array<string | number>, texts: Texts | string, allowed: readonly string[], report: Report): void {
  if (!texts) return;
  const entries = typeof texts === 'string' ? [[null, texts] as const] : Object.entries(texts);
  for (const [lang, text] of entries) {
    for (const m of text.matchAll(PLACEHOLDER)) {
      if (allowed.includes(m[1]!)) continue;
      const where = lang === null ? path : [...path, lang];
      report(where, `unknown placeholder {${m[1]}}: ${allowed.length > 0 ? `this text may use ${allowed.map((a) => `{${a}}`).join(', ')}` : 'this text takes none'}`);
    }
  }
}

/**
 * What the SMS schema alone cannot see: placeholders a text cannot fill, a
 * survey by SMS with nothing to say, stop words that would swallow a score,
 * and SMS configured on a site whose numbering plan cannot match a reply
 * (`0912…` sent, `+98912…` replying) to the number it was sent to.
 */
export function checkSms(c: ParsedConfig, report: Report): void {
  let anyText = c.campaigns.smsFallback !== null || c.sms.optOutText !== null;
  for (const [id, q] of Object.entries(c.queues)) {
    checkPlaceholders(['queues', id, 'sms', 'callbackBooked'], q.sms.callbackBooked, ['queue'], report);
    checkPlaceholders(['queues', id, 'sms', 'callbackMissed'], q.sms.callbackMissed, ['queue'], report);
    checkPlaceholders(['queues', id, 'survey', 'sms', 'text'], q.survey.sms.text, ['queue', 'agent'], report);
    if (q.survey.sms.when !== 'off' && !q.survey.sms.text) report(['queues', id, 'survey', 'sms', 'text'], `expected the survey's SMS text (per language) when survey.sms.when is '${q.survey.sms.when}'`);
    anyText ||= q.sms.callbackBooked !== null || q.sms.callbackMissed !== null || (q.survey.sms.when !== 'off' && q.survey.sms.text !== null);
  }
  checkPlaceholders(['campaigns', 'smsFallback'], c.campaigns.smsFallback, ['message', 'campaign'], report);
  checkPlaceholders(['sms', 'optOutText'], c.sms.optOutText, [], report);
  c.sms.stopWords.forEach((w, i) => {
    if (/^\s*[1-5]\s*$/.test(w)) report(['sms', 'stopWords', i], `'${w}' is a survey score: a caller rating 1–5 would opt out`);
  });
  if (c.sms.stopWords.length === 0) report(['sms', 'stopWords'], 'expected at least one stop word: every SMS recipient must be able to opt out');
  if (c.sms.enabled && anyText && c.site.numbering.countryCode === null) {
    report(['site', 'numbering', 'countryCode'], `expected the site's country calling code (e.g. '98') when SMS are configured: replies and opt-outs come from +CC… numbers and must match the callers' 0… numbers`);
  }
}

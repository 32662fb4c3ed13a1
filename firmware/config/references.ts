import { normaliseNumber } from '../../gateway/numbers/normalise.ts';
import type { IvrAction } from '../../gateway/config/types.ts';
import type { ParsedConfig } from './schema.ts';
import { checkSms } from './smsChecks.ts';
import { checkWallboard } from './wallboardSchema.ts';

/**
 * Cross-reference checks over a config whose sections already have the right
 * shape: names that must exist (queues, menus, schedules), ids that must be
 * unique, and rules spanning two keys. Runs as the schema's `superRefine`.
 *
 * @module
 */

/** Receives one problem: key path (as zod paths: strings and array indices) and the expectation. */
export type Report = (path: Array<string | number>, message: string) => void;

function unknown(kind: string, value: string, known: readonly string[]): string {
  return `unknown ${kind} '${value}' (known: ${known.length > 0 ? known.join(', ') : `no ${kind}s are defined`})`;
}

/** Call `report(index, firstIndex)` for the second and later uses of each value. */
function duplicates(values: readonly string[], report: (index: number, firstIndex: number) => void): void {
  const first = new Map<string, number>();
  values.forEach((v, i) => {
    const f = first.get(v);
    if (f === undefined) first.set(v, i);
    else report(i, f);
  });
}

/**
 * Check every reference and uniqueness rule of `c`, calling `report` once per
 * problem so the user sees all of them at once.
 */
export function crossCheck(c: ParsedConfig, report: Report): void {
  const queues = Object.keys(c.queues);
  const schedules = Object.keys(c.schedules);
  const menus = c.ivr ? Object.keys(c.ivr.menus) : [];

  const needQueue = (path: Array<string | number>, q: string): void => {
    if (!(q in c.queues)) report(path, unknown('queue', q, queues));
  };
  const needSchedule = (path: Array<string | number>, s: string | undefined): void => {
    if (s !== undefined && !(s in c.schedules)) report(path, unknown('schedule', s, schedules));
  };
  const checkAction = (path: Array<string | number>, a: IvrAction): void => {
    if ('queue' in a) needQueue([...path, 'queue'], a.queue);
    else if ('menu' in a) {
      if (!menus.includes(a.menu)) report([...path, 'menu'], unknown('menu', a.menu, menus));
    } else if ('play' in a) checkAction([...path, 'then'], a.then);
  };

  if (c.ivr) {
    if (!menus.includes(c.ivr.entry)) report(['ivr', 'entry'], unknown('menu', c.ivr.entry, menus));
    for (const [number, menu] of Object.entries(c.ivr.entryByNumber ?? {})) {
      if (!menus.includes(menu)) report(['ivr', 'entryByNumber', number], unknown('menu', menu, menus));
    }
    for (const [name, m] of Object.entries(c.ivr.menus)) {
      const at = ['ivr', 'menus', name];
      needSchedule([...at, 'schedule'], m.schedule);
      if (m.closed) checkAction([...at, 'closed'], m.closed);
      checkAction([...at, 'onFailure'], m.onFailure);
      for (const [key, action] of Object.entries(m.options)) {
        // The digit collector stops at maxDigits, so a longer option could never be chosen.
        if (key.length > m.maxDigits) {
          report([...at, 'options', key], `expected at most maxDigits (${m.maxDigits}) digits, got '${key}' (raise maxDigits)`);
        }
        checkAction([...at, 'options', key], action);
      }
    }
  }

  for (const [name, q] of Object.entries(c.queues)) {
    const at = ['queues', name];
    if ('queue' in q.overflow) {
      if (q.overflow.queue === name) report([...at, 'overflow', 'queue'], `expected another queue, got '${name}' itself (a caller would loop)`);
      else needQueue([...at, 'overflow', 'queue'], q.overflow.queue);
    }
    if ('callbackOffer' in q.overflow && !q.callback.enabled) {
      report([...at, 'overflow', 'callbackOffer'], 'expected callback.enabled: true for a callbackOffer overflow');
    }
    needSchedule([...at, 'callback', 'schedule'], q.callback.schedule);
  }

  duplicates(
    c.agents.map((a) => a.id),
    (i, f) => report(['agents', i, 'id'], `duplicate agent id '${c.agents[i]?.id ?? ''}' (already used by agents[${f}])`),
  );
  c.agents.forEach((a, i) => {
    a.queues.forEach((aq, j) => needQueue(['agents', i, 'queues', j, 'queue'], aq.queue));
    duplicates(
      a.queues.map((aq) => aq.queue),
      (j, f) => report(['agents', i, 'queues', j, 'queue'], `duplicate queue '${a.queues[j]?.queue ?? ''}' (already at queues[${f}])`),
    );
  });

  // One number however written: 0912… and +98912… are the same VIP under the site's numbering plan.
  duplicates(
    c.vip.map((v) => normaliseNumber(v.number, c.site.numbering)),
    (i, f) => report(['vip', i, 'number'], `duplicate VIP number '${c.vip[i]?.number ?? ''}' (the same number as vip[${f}])`),
  );
  duplicates(
    c.trunks.map((t) => t.id),
    (i, f) => report(['trunks', i, 'id'], `duplicate trunk id '${c.trunks[i]?.id ?? ''}' (already used by trunks[${f}])`),
  );

  needSchedule(['campaigns', 'schedule'], c.campaigns.schedule);
  if (c.campaigns.agentQueue !== null) needQueue(['campaigns', 'agentQueue'], c.campaigns.agentQueue);
  checkWallboard(c.wallboard, { queues, schedules }, report);
  checkSms(c, report);
}

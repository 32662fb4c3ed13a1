/**
 * What the core accepts for a VIP set at runtime (local API, CLI, cloud).
 * Pure and shared: the core enforces it, and the CLI checks the same rules
 * before contacting the daemon so a typo exits with a usage error.
 *
 * The priority rule is the YAML's (`vip[].priority`, firmware/config/schema.ts:
 * a whole number ≥ 1, default 1), so whatever the configuration may say the
 * API may say too, and the other way round.
 */
import type { NumberingConfig } from '../config/types.ts';
import { CcgateError } from '../core/errors.ts';
import { normaliseNumber } from '../numbers/normalise.ts';

/** Priority of a VIP given without one (as in the YAML: a plain number means priority 1). */
export const DEFAULT_VIP_PRIORITY = 1;
/** Longest VIP name, in Unicode code points after trimming: a label on status screens, not a record. */
export const MAX_VIP_NAME_CHARS = 64;
/** Longest number as given: far beyond any dial string, short enough to refuse junk. */
const MAX_NUMBER_CHARS = 64;

/** Which rule an input broke; kept in the error's `context.problem`. */
export type VipInputProblem = 'number' | 'priority' | 'name';

/** A VIP input the core refuses (code API_BAD_REQUEST, HTTP 400); nothing was changed. */
export class VipInputError extends CcgateError {
  constructor(
    readonly problem: VipInputProblem,
    message: string,
    context: Record<string, unknown> = {},
  ) {
    super('API_BAD_REQUEST', message, { problem, ...context });
    this.name = 'VipInputError';
  }
}

/**
 * The canonical form of a VIP's number under the site's plan.
 * @throws VipInputError `number` for an empty, withheld or anonymous number, or one that is not digits once
 *   separators are gone (a withheld caller has no number to match).
 */
export function checkVipNumber(raw: string, plan: NumberingConfig): string {
  const trimmed = raw.trim();
  if (trimmed.length > MAX_NUMBER_CHARS) throw new VipInputError('number', `invalid VIP number: ${trimmed.length} characters, at most ${MAX_NUMBER_CHARS}`, { chars: trimmed.length });
  const canonical = normaliseNumber(trimmed, plan);
  if (!/^\+?\d+$/.test(canonical)) {
    throw new VipInputError('number', `invalid VIP number ${JSON.stringify(trimmed)}: expected a phone number such as +989121234567 or 0912 123 4567 (a withheld caller cannot be a VIP)`, { number: trimmed });
  }
  return canonical;
}

/** @throws VipInputError `priority` unless a whole number ≥ 1; undefined gives {@link DEFAULT_VIP_PRIORITY}. */
export function checkVipPriority(priority: number | undefined): number {
  if (priority === undefined) return DEFAULT_VIP_PRIORITY;
  if (!Number.isSafeInteger(priority) || priority < 1) {
    throw new VipInputError('priority', `invalid VIP priority ${String(priority)}: expected a whole number ≥ 1 (higher goes first; ordinary callers are 0)`, { priority });
  }
  return priority;
}

// C0 and C1 controls and lone surrogates: a name is one line of plain text.
const FORBIDDEN = /[\p{Cc}\p{Cs}]/u;

/** The name as kept: trimmed, 1 … {@link MAX_VIP_NAME_CHARS} code points, one line; undefined gives null. @throws VipInputError `name` */
export function checkVipName(name: string | undefined): string | null {
  if (name === undefined) return null;
  const t = name.trim();
  const chars = [...t].length;
  if (chars === 0) throw new VipInputError('name', `empty VIP name: leave it out, or give 1 to ${MAX_VIP_NAME_CHARS} characters`);
  if (chars > MAX_VIP_NAME_CHARS) throw new VipInputError('name', `VIP name too long: ${chars} characters, at most ${MAX_VIP_NAME_CHARS}`, { chars });
  if (FORBIDDEN.test(t)) throw new VipInputError('name', 'VIP name contains a control character: expected one line of plain text');
  return t;
}

/**
 * Shapes of the local API's request bodies (shape only: the gateway checks
 * names, ranges and text, so the cloud path gets the same rules). Loaded with
 * the first request that has a body (routes.ts).
 */
import { z } from 'zod';
import { campaignSpec } from '../../gateway/sync/commands/commandSchemas.ts';
import { badRequest } from './protocol.ts';

const pauseBody = z.strictObject({ reason: z.string().trim().min(1, 'a non-empty pause reason') });

// Shapes only: the gateway checks names, ranges and text (BoardInputError) so
// the cloud path gets the same rules.
const counterBody = z.strictObject({ value: z.number() });

const messageBody = z.strictObject({
  text: z.string(),
  level: z.enum(['info', 'critical']).optional(),
  forMs: z.number().optional(),
});

// Shape only: the gateway checks the number, priority and name (VipInputError).
const vipBody = z.strictObject({
  number: z.string(),
  priority: z.number().optional(),
  name: z.string().optional(),
});

// The same campaign shape as the cloud's campaign_submit.
const campaignBody = campaignSpec;

const BODIES = { pause: pauseBody, counter: counterBody, message: messageBody, vip: vipBody, campaign: campaignBody } as const;

export type BodyKind = keyof typeof BODIES;
export type BodyOf<K extends BodyKind> = z.output<(typeof BODIES)[K]>;

/** The body checked against its shape, or API_BAD_REQUEST naming every problem. */
export function parseBody<K extends BodyKind>(kind: K, value: unknown, what: string): BodyOf<K> {
  const r = (BODIES[kind] as unknown as z.ZodType<BodyOf<K>>).safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', problem: i.message }));
  throw badRequest(`invalid ${what}: ` + issues.map((i) => `${i.path}: ${i.problem}`).join('; '), { issues });
}

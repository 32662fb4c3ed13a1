import { z } from 'zod';
import type { CampaignSpec } from '../../GatewayApi.ts';

/**
 * The cloud's commands, version 1: one schema per command name (the last
 * level of `…/cmd/{name}`). Shapes only, strict (an unknown field is an
 * error, not ignored): the gateway checks meaning (unknown agent, number,
 * range) and answers with its own coded errors, as it does for the local API.
 */

/** A command id: what makes a command idempotent. */
export const commandId = z.string().regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'an id of 1-64 letters, digits, _ : . -');

/** Every command's envelope: `v`, `id`, and optionally the unit it is meant for. */
export const envelope = z.object({
  v: z.literal(1, { error: 'v must be 1 (the payload version)' }),
  id: commandId,
  unit: z.string().optional(),
});

const withEnvelope = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ v: z.literal(1), id: commandId, unit: z.string().optional(), ...shape });

const agent = z.string().min(1).max(64);

export const campaignSpec = z.strictObject({
  name: z.string().trim().min(1).max(120),
  prompt: z.string().trim().min(1).max(120),
  targets: z.array(z.strictObject({ number: z.string().min(1).max(32), message: z.string().max(500).optional() })).min(1),
  maxConcurrent: z.number().int().positive().optional(),
  callsPerMinute: z.number().positive().optional(),
  schedule: z.string().optional(),
  attempts: z.number().int().positive().optional(),
  retryGapMs: z.number().int().nonnegative().optional(),
  ringTimeoutMs: z.number().int().positive().optional(),
  agentQueue: z.string().nullable().optional(),
  smsFallback: z.string().trim().min(1).nullable().optional(),
}) satisfies z.ZodType<CampaignSpec>;

export const COMMANDS = {
  vip_set: withEnvelope({ number: z.string().min(1).max(32), priority: z.number().int().optional(), name: z.string().max(64).optional() }),
  vip_remove: withEnvelope({ number: z.string().min(1).max(32) }),
  agent_login: withEnvelope({ agent }),
  agent_logout: withEnvelope({ agent }),
  agent_pause: withEnvelope({ agent, reason: z.string().trim().min(1).max(64).default('cloud') }),
  agent_unpause: withEnvelope({ agent }),
  campaign_submit: withEnvelope({ campaign: campaignSpec }),
  campaign_cancel: withEnvelope({ campaignId: z.string().min(1).max(64) }),
  callback_cancel: withEnvelope({ callbackId: z.string().min(1).max(64) }),
  counter_set: withEnvelope({ name: z.string().min(1).max(32), value: z.number() }),
  config_reload: withEnvelope({}),
} as const;

export type CommandName = keyof typeof COMMANDS;
export type Command<N extends CommandName = CommandName> = N extends CommandName ? { name: N; args: z.infer<(typeof COMMANDS)[N]> } : never;

export const isCommandName = (n: string): n is CommandName => Object.hasOwn(COMMANDS, n);

/** A zod error as one line: `path: problem; …`. */
export function describeIssues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.map(String).join('.') || '(payload)'}: ${i.message}`).join('; ');
}

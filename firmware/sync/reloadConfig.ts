import { isDeepStrictEqual } from 'node:util';
import type { Gateway } from '../../gateway/Gateway.ts';
import type { ReloadResult } from '../../gateway/sync/commands/applyCommand.ts';
import type { CcgateConfig } from '../config/CcgateConfig.ts';
import { loadConfig } from '../config/loadConfig.ts';

/**
 * Keys a running daemon applies from a changed configuration file. The VIP
 * list is runtime data the YAML only seeds, so it is re-seeded by the same
 * rule as at start. Everything else (trunks, queues, menus, agents, the
 * store, sync itself) is wired into running objects: a change there is
 * reported as needing a restart (`systemctl restart ccgate`), never half
 * applied.
 */
export const RELOADABLE = ['vip'] as const;

/**
 * Re-read `file`, check it whole (a file with an error changes nothing and
 * throws its ConfigError), apply the reloadable keys, and say which changed
 * keys wait for a restart.
 */
export function reloadConfig(file: string, running: CcgateConfig, gateway: Gateway, overrides: (loaded: CcgateConfig) => CcgateConfig = (c) => c): ReloadResult {
  const next = overrides(loadConfig(file));
  const changed = (Object.keys(next) as Array<keyof CcgateConfig>).filter((k) => !isDeepStrictEqual(next[k], running[k]));
  const applied = changed.filter((k) => (RELOADABLE as readonly string[]).includes(k));
  if (applied.includes('vip')) {
    gateway.runDurable('reload vip', () => gateway.context.queues.vips.seed(next.vip));
    running.vip = next.vip;
  }
  return { applied, needsRestart: changed.filter((k) => !applied.includes(k)) };
}

import type { GatewayConfig } from '../../gateway/config/types.ts';
import type { SyncConfig } from '../../gateway/sync/SyncConfig.ts';
import type { WallboardConfig } from '../../wallboard/config/BoardConfig.ts';

/**
 * The whole YAML file: the core's configuration plus the parts the program
 * wires around it (the wallboards). The core only ever sees GatewayConfig.
 */
export type CcgateConfig = GatewayConfig & { wallboard: WallboardConfig; sync: SyncConfig | null };

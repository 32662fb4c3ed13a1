import type { GatewayEvent } from '../../gateway/events.ts';
import type { GatewaySnapshot } from '../../gateway/GatewayApi.ts';
import type { KpiSnapshot } from '../../gateway/kpi/types.ts';
import type { BoardMessage } from '../model/BoardView.ts';

/**
 * What the boards read from the core: the part of GatewayApi they need, so
 * tests and previews can feed them without a gateway.
 */
export interface WallboardSource {
  kpis(): KpiSnapshot;
  snapshot(): GatewaySnapshot;
  counters(): ReadonlyArray<{ name: string; value: number; at: number }>;
  boardMessage(): BoardMessage | null;
  /** Committed events; returns an unsubscribe function. */
  subscribe(fn: (ev: GatewayEvent & { seq: number }) => void): () => void;
}

import type { GatewayEvent } from '../../gateway/events.ts';
import type { CloudStatus, GatewaySnapshot, LineStatus } from '../../gateway/GatewayApi.ts';
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
  /**
   * The cloud link (null without `sync:`): it changes without events (the
   * link drops, the broker acknowledges), so boards showing it read it on
   * their tick. Optional: sources without a cloud leave it out.
   */
  cloudStatus?(): CloudStatus | null;
  /** Channels in service across the trunks (read on the tick by boards that show them); optional like the cloud. */
  lineStatus?(): LineStatus;
  /** Committed events; returns an unsubscribe function. */
  subscribe(fn: (ev: GatewayEvent & { seq: number }) => void): () => void;
}

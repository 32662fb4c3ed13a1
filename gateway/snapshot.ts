import type { Ctx } from './core/Context.ts';
import type { GatewaySnapshot } from './GatewayApi.ts';

/** Live state for status and the terminal view; read-only. */
export function buildSnapshot(ctx: Ctx): GatewaySnapshot {
  const now = ctx.clock.now();
  const agentOfCall = new Map<string, string>();
  for (const a of ctx.agents.all()) if (a.callId) agentOfCall.set(a.callId, a.cfg.id);
  return {
    at: now,
    site: ctx.config.site.name,
    timeZone: ctx.config.site.timeZone,
    queues: ctx.queues.allLists().map((l) => ({
      id: l.queue,
      name: ctx.queues.cfg(l.queue).name,
      waiting: l.entries().map((e) => {
        const cb = e.rec.callbackId ? ctx.callbacks.get(e.rec.callbackId) : undefined;
        return {
          callId: e.rec.callId,
          callbackId: e.rec.callbackId,
          kind: e.rec.kind,
          priority: e.rec.priority,
          waitMs: now - e.rec.joinedAt,
          number: e.call?.number ?? cb?.number ?? '',
        };
      }),
    })),
    agents: ctx.agents.all().map((a) => ({
      id: a.cfg.id,
      name: a.cfg.name,
      state: a.rec.state,
      pauseReason: a.rec.pauseReason,
      callId: a.callId,
      queues: a.cfg.queues.map((q) => q.queue),
      callsToday: ctx.agents.callsToday(a),
    })),
    calls: ctx.calls.all().map((c) => ({
      callId: c.id,
      direction: c.record.direction,
      phase: c.record.phase,
      callerId: c.callerId,
      number: c.number,
      queue: c.record.queue,
      agent: c.record.agent ?? agentOfCall.get(c.id) ?? null,
      sinceMs: now - c.record.startedAt,
    })),
    callbacks: ctx.callbacks.counts(),
    campaigns: ctx.campaigns.progress(),
    trunks: ctx.trunks.all().map((t) => {
      const h = t.health();
      return { id: t.id, up: h.up, detail: h.detail, busyChannels: h.busyChannels, channels: t.channels, ...(h.inServiceChannels !== undefined ? { inServiceChannels: h.inServiceChannels } : {}), ...(h.stats ? { stats: h.stats } : {}) };
    }),
    store: ctx.tx.health,
  };
}

import type { Ctx } from './core/Context.ts';
import { forEachEventSince } from './store/eventPages.ts';

/**
 * Bring the durable state back after a stop or a crash (kill -9, power cut).
 * Calls do not survive the process: every call left open is closed with the
 * exit events it lacks (so each ENTERQUEUE keeps exactly one exit), agents on
 * calls become available again, and kept-place callbacks and campaigns
 * continue where they were.
 */
export function recover(ctx: Ctx): void {
  // Calls that died with the process are closed at the last moment the unit
  // was known alive, not now: after an hour's power cut that hour is neither
  // wait nor talk time.
  const now = lastAlive(ctx);
  let liveCallsClosed = 0;
  const entries = ctx.store.entries.all();
  const liveEntries = new Map(entries.filter((e) => e.kind === 'live' && e.callId).map((e) => [e.callId!, e]));
  const openCalls = ctx.store.calls.open();
  for (const call of openCalls) {
    liveCallsClosed++;
    const entry = liveEntries.get(call.id);
    if (entry) {
      const list = entries.filter((e) => e.queue === entry.queue);
      const position = 1 + list.filter((e) => e.priority > entry.priority || (e.priority === entry.priority && (e.joinedAt < entry.joinedAt || (e.joinedAt === entry.joinedAt && e.seq < entry.seq)))).length;
      ctx.tx.emit({ type: 'queueExited', callId: call.id, queue: entry.queue, reason: 'restart', position, origPosition: entry.origPosition, waitMs: Math.max(0, now - entry.enteredAt) });
      ctx.store.entries.delete(entry.id);
      liveEntries.delete(call.id);
    } else if (call.phase === 'connected' && call.queue && call.agent) {
      closeConnected(ctx, call.id, call.queue, call.agent, call.startedAt, now);
    }
    ctx.store.calls.put({ ...call, endedAt: now, phase: 'ended' });
    ctx.tx.emit({ type: 'callEnded', callId: call.id, cause: 'restart' });
  }
  // Live entries whose call record is missing cannot be served: drop them with an exit.
  for (const entry of liveEntries.values()) {
    ctx.tx.emit({ type: 'queueExited', callId: entry.callId!, queue: entry.queue, reason: 'restart', position: 1, origPosition: entry.origPosition, waitMs: Math.max(0, now - entry.enteredAt) });
    ctx.store.entries.delete(entry.id);
  }
  ctx.agents.afterRestart();
  const callbacksPending = ctx.callbacks.restore();
  const campaignsActive = ctx.campaigns.restore();
  ctx.tx.emit({ type: 'gatewayStarted', recovered: { liveCallsClosed, callbacksPending, campaignsActive } });
  ctx.log.info({ liveCallsClosed, callbacksPending, campaignsActive }, 'gateway started');
}

/** Key of the store heartbeat (epoch ms), written while the unit runs quietly. */
export const HEARTBEAT_KEY = 'heartbeatAt';

/**
 * The last moment the previous run was known alive: its heartbeat or its
 * last event, whichever is later (the heartbeat skips beats when events were
 * written), never later than now.
 */
export function lastAlive(ctx: Pick<Ctx, 'store' | 'clock'>): number {
  const now = ctx.clock.now();
  let at = Number(ctx.store.getMeta(HEARTBEAT_KEY) ?? '0') || 0;
  const seq = ctx.store.lastEventSeq();
  if (seq > 0) at = Math.max(at, ctx.store.readEvents(seq - 1, 1)[0]?.at ?? 0);
  return at > 0 ? Math.min(at, now) : now;
}

/** A call that was talking to an agent at the crash: close it as completed by the caller, dropped. */
function closeConnected(ctx: Ctx, callId: string, queue: string, agent: string, startedAt: number, now: number): void {
  let connectedAt = startedAt;
  let waitMs = 0;
  let origPosition = 1;
  let closed = false;
  forEachEventSince(ctx.store, startedAt, (ev) => {
    if (ev.type === 'queueConnected' && ev.callId === callId) {
      connectedAt = ev.at;
      waitMs = ev.waitMs;
    } else if (ev.type === 'queueEntered' && ev.callId === callId) {
      origPosition = ev.position;
    } else if (ev.type === 'queueCompleted' && ev.callId === callId) {
      closed = true; // already closed before the crash
      return false;
    }
    return true;
  });
  if (closed) return;
  ctx.tx.emit({ type: 'queueCompleted', callId, queue, agent, by: 'caller', dropped: true, waitMs, talkMs: Math.max(0, now - connectedAt), origPosition });
}

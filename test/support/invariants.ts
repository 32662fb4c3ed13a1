import { expect } from 'vitest';
import type { StoredEvent } from '../../gateway/events.ts';

/**
 * Lifecycle rules every event log must satisfy: one exit for every queue
 * entry (queue_log's rule), one end for every call, and completions only for
 * connected calls.
 */
export function expectConsistentLifecycles(events: readonly StoredEvent[]): void {
  const open = new Map<string, 'waiting' | 'connected'>();
  const ended = new Set<string>();
  const offered = new Set<string>();
  const problems: string[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'callOffered':
        offered.add(e.callId);
        break;
      case 'queueEntered':
        if (open.has(e.callId)) problems.push(`${e.callId} entered ${e.queue} while still in a queue`);
        open.set(e.callId, 'waiting');
        break;
      case 'queueConnected':
        if (open.get(e.callId) !== 'waiting') problems.push(`${e.callId} connected without waiting`);
        open.set(e.callId, 'connected');
        break;
      case 'queueCompleted':
      case 'queueTransferred':
        if (open.get(e.callId) !== 'connected') problems.push(`${e.callId} completed without connect`);
        open.delete(e.callId);
        break;
      case 'queueExited':
        if (open.get(e.callId) !== 'waiting') problems.push(`${e.callId} exited (${e.reason}) without waiting`);
        open.delete(e.callId);
        break;
      case 'callEnded':
        if (ended.has(e.callId)) problems.push(`${e.callId} ended twice`);
        ended.add(e.callId);
        break;
      default:
        break;
    }
  }
  for (const id of offered) if (!ended.has(id)) problems.push(`${id} never ended`);
  for (const [id, st] of open) problems.push(`${id} left ${st} in a queue`);
  expect(problems).toEqual([]);
}

import type { GatewayEvent } from '../events.ts';
import type { MemRepo } from './MemoryStore.ts';
import type {
  CallbackRecord, CallRecord, CallSummaryRecord, CampaignRecord, CloudCommandRecord, ContactRecord, SmsRecord, SurveyRecord,
  TargetRecord,
} from './Store.ts';
import type { StoreRetention } from './StoreRetention.ts';

/** What {@link memoryRetention} reaches inside a MemoryStore. */
export interface MemoryRetentionParts {
  events(): { rows: readonly string[]; base: number };
  /** Drop the `n` oldest events (undoable in a batch). */
  cutEvents(n: number): void;
  surveys(): SurveyRecord[];
  repos: {
    history: MemRepo<CallSummaryRecord, 'callId'>;
    calls: MemRepo<CallRecord, 'id'>;
    callbacks: MemRepo<CallbackRecord, 'id'>;
    contacts: MemRepo<ContactRecord, 'number'>;
    campaigns: MemRepo<CampaignRecord, 'id'>;
    targets: MemRepo<TargetRecord, 'id'>;
    sms: MemRepo<SmsRecord, 'id'>;
    cloudCommands: MemRepo<CloudCommandRecord, 'id'>;
  };
  writing(op: string): void;
  remember(undo: () => void): void;
}

const byNothing = (): number => 0;

/** The MemoryStore's {@link StoreRetention}, with the SQLite store's semantics (the contract suite checks both). */
export function memoryRetention(p: MemoryRetentionParts): StoreRetention {
  const atOf = (data: string): number => (JSON.parse(data) as GatewayEvent).at;
  const deleteSome = <R extends object, K extends keyof R & string>(repo: MemRepo<R, K>, key: K, pred: (r: R) => boolean, limit: number): number => {
    const rows = repo.where(pred, byNothing).slice(0, limit);
    for (const r of rows) repo.delete(r[key]);
    return rows.length;
  };
  return {
    firstEvent() {
      const { rows, base } = p.events();
      return rows.length === 0 ? null : { seq: base + 1, at: atOf(rows[0]!) };
    },

    pruneEvents(maxSeq, beforeMs, limit) {
      const { rows, base } = p.events();
      // As in SQLite: the newest event stays, and the cut stops at the first event not old enough.
      const most = Math.min(Math.floor(limit), maxSeq - base, rows.length - 1);
      let n = 0;
      while (n < most && atOf(rows[n]!) < beforeMs) n++;
      if (n === 0) return null;
      p.cutEvents(n);
      return { from: base + 1, to: base + n };
    },

    pruneRows(table, beforeMs, limit) {
      const r = p.repos;
      switch (table) {
        case 'history':
          return deleteSome(r.history, 'callId', (h) => h.startedAt < beforeMs, limit);
        case 'calls':
          return deleteSome(r.calls, 'id', (c) => c.endedAt !== null && c.endedAt < beforeMs, limit);
        case 'callbacks':
          return deleteSome(r.callbacks, 'id', (c) => c.status !== 'pending' && c.status !== 'dialling' && (c.finishedAt ?? c.requestedAt) < beforeMs, limit);
        case 'contacts':
          return deleteSome(r.contacts, 'number', (c) => c.endedAt < beforeMs, limit);
        case 'sms':
          return deleteSome(r.sms, 'id', (m) => (m.status === 'sent' || m.status === 'failed' || m.status === 'unknown' || m.status === 'dropped') && m.updatedAt < beforeMs, limit);
        case 'cloudCommands':
          return deleteSome(r.cloudCommands, 'id', (c) => c.receivedAt < beforeMs, limit);
        case 'campaigns': {
          const old = new Set(r.campaigns.where((c) => c.status !== 'active' && c.createdAt < beforeMs, byNothing).map((c) => c.id));
          const targets = deleteSome(r.targets, 'id', (t) => old.has(t.campaignId), limit);
          const left = new Set(r.targets.where((t) => old.has(t.campaignId), byNothing).map((t) => t.campaignId));
          return targets + deleteSome(r.campaigns, 'id', (c) => old.has(c.id) && !left.has(c.id), Math.max(1, limit - targets));
        }
        case 'surveys': {
          const rows = p.surveys();
          let n = 0;
          while (n < Math.min(limit, rows.length) && rows[n]!.at < beforeMs) n++;
          if (n === 0) return 0;
          p.writing('retention.prune.surveys');
          const cut = rows.splice(0, n);
          p.remember(() => rows.unshift(...cut));
          return n;
        }
      }
    },

    usage() {
      const { rows } = p.events();
      // No pages in memory: the event text is what grows; a rough figure for status.
      return { usedBytes: rows.reduce((s, d) => s + d.length, 0), fileBytes: 0 };
    },
  };
}

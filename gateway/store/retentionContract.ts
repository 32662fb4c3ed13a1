import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../events.ts';
import type { Store } from './Store.ts';
import { sample } from './storeContract.ts';

const ev = (at: number): GatewayEvent => ({ type: 'callAnswered', at, callId: 'c' + at });

/** {@link Store.retention}, run against every implementation beside the Store contract. */
export function describeRetentionContract(name: string, makeStore: () => Store): void {
  describe(`${name} (retention contract)`, () => {
    let s: Store;
    beforeEach(() => {
      expect.hasAssertions();
      s = makeStore();
    });
    afterEach(() => s.close());

    const fill = (n: number, step = 1_000): void => {
      for (let i = 1; i <= n; i++) s.appendEvent(ev(i * step));
      s.commit();
    };

    it('cuts the log from its head: old enough, up to maxSeq, at most limit; the rest stays gap-free', () => {
      expect(s.retention.firstEvent()).toBeNull();
      expect(s.retention.pruneEvents(10, 1e9, 10)).toBeNull();
      fill(10);
      expect(s.retention.firstEvent()).toEqual({ seq: 1, at: 1_000 });
      expect(s.retention.pruneEvents(10, 4_500, 100)).toEqual({ from: 1, to: 4 }); // seq 5 is at 5 000: not old enough
      expect(s.retention.pruneEvents(10, 9_500, 2)).toEqual({ from: 5, to: 6 }); // the limit
      expect(s.retention.pruneEvents(7, 9_500, 100)).toEqual({ from: 7, to: 7 }); // maxSeq (a consumer's cursor)
      s.commit();
      expect(s.retention.firstEvent()).toEqual({ seq: 8, at: 8_000 });
      expect(s.readEvents(0, 100).map((e) => e.seq)).toEqual([8, 9, 10]);
      expect(s.readEvents(7, 1)[0]?.seq).toBe(8);
    });

    it('never deletes the newest event, so the next seq survives a restart or a rollback', () => {
      fill(3);
      expect(s.retention.pruneEvents(3, 1e12, 100)).toEqual({ from: 1, to: 2 });
      s.commit();
      expect(s.lastEventSeq()).toBe(3);
      expect(s.appendEvent(ev(4_000)).seq).toBe(4);
    });

    it('a cut inside a failed batch is undone with it', () => {
      fill(5);
      expect(() =>
        s.batch(() => {
          s.retention.pruneEvents(5, 1e12, 100);
          throw new Error('boom');
        }),
      ).toThrow('boom');
      s.commit();
      expect(s.retention.firstEvent()?.seq).toBe(1);
    });

    it('deletes finished rows older than the horizon in batches and keeps what is active or young', () => {
      for (let i = 0; i < 5; i++) s.history.put(sample.summary(`h${i}`, { startedAt: 1_000 * i }));
      s.surveys.insert({ callId: 'c1', queue: 'q', agent: 'a1', score: 4, at: 1_000 });
      s.surveys.insert({ callId: 'c2', queue: 'q', agent: 'a1', score: 5, at: 9_000 });
      s.calls.put(sample.call('old', { endedAt: 1_000 }));
      s.calls.put(sample.call('live', { endedAt: null, startedAt: 0 }));
      s.callbacks.put(sample.callback('done', { status: 'completed', finishedAt: 1_000 }));
      s.callbacks.put(sample.callback('wait', { status: 'pending', number: '+441632960077', requestedAt: 0 }));
      s.contacts.put(sample.contact('+441632960001', { endedAt: 1_000 }));
      s.contacts.put(sample.contact('+441632960002', { endedAt: 9_000 }));
      s.campaigns.put(sample.campaign('k-old', { status: 'finished', createdAt: 1_000 }));
      s.campaigns.put(sample.campaign('k-live', { status: 'active', createdAt: 1_000 }));
      for (let i = 0; i < 3; i++) s.targets.put(sample.target(`t${i}`, { campaignId: 'k-old', ord: i }));
      s.targets.put(sample.target('t-live', { campaignId: 'k-live' }));
      s.sms.put(sample.sms('s-old', { status: 'sent', updatedAt: 1_000 }));
      s.sms.put(sample.sms('s-pending', { status: 'pending', updatedAt: 1_000 }));
      for (let i = 0; i < 3; i++) s.cloudCommands.put(sample.cloudCommand(`cmd-old${i}`, { receivedAt: 1_000 + i }));
      s.cloudCommands.put(sample.cloudCommand('cmd-young', { receivedAt: 9_000 }));
      s.commit();

      expect(s.retention.pruneRows('history', 3_500, 2)).toBe(2);
      expect(s.retention.pruneRows('history', 3_500, 100)).toBe(2);
      expect(s.history.all().map((h) => h.callId)).toEqual(['h4']);
      expect(s.retention.pruneRows('surveys', 5_000, 100)).toBe(1);
      expect(s.surveys.all().map((r) => r.callId)).toEqual(['c2']);
      expect(s.retention.pruneRows('calls', 5_000, 100)).toBe(1);
      expect(s.calls.all().map((c) => c.id)).toEqual(['live']);
      expect(s.retention.pruneRows('callbacks', 5_000, 100)).toBe(1);
      expect(s.callbacks.all().map((c) => c.id)).toEqual(['wait']);
      expect(s.retention.pruneRows('contacts', 5_000, 100)).toBe(1);
      expect(s.contacts.all().map((c) => c.number)).toEqual(['+441632960002']);
      expect(s.retention.pruneRows('sms', 5_000, 100)).toBe(1);
      expect(s.sms.all().map((m) => m.id)).toEqual(['s-pending']);
      // The cloud's command ledger goes by when each command came in, in batches too.
      expect(s.retention.pruneRows('cloudCommands', 5_000, 2)).toBe(2);
      expect(s.retention.pruneRows('cloudCommands', 5_000, 100)).toBe(1);
      expect(s.retention.pruneRows('cloudCommands', 5_000, 100)).toBe(0);
      expect(['cmd-old0', 'cmd-old1', 'cmd-old2'].map((id) => s.cloudCommands.get(id))).toEqual([undefined, undefined, undefined]);
      expect(s.cloudCommands.get('cmd-young')?.receivedAt).toBe(9_000);
      // A finished campaign goes with its targets, in batches; an active one stays whole.
      expect(s.retention.pruneRows('campaigns', 5_000, 2)).toBe(2);
      expect(s.campaigns.get('k-old')).toBeDefined();
      expect(s.retention.pruneRows('campaigns', 5_000, 100)).toBe(2);
      expect(s.campaigns.all().map((c) => c.id)).toEqual(['k-live']);
      expect(s.targets.all().map((t) => t.id)).toEqual(['t-live']);
      s.commit();
    });

    it('reports the space the data uses', () => {
      const before = s.retention.usage().usedBytes;
      for (let i = 0; i < 500; i++) s.appendEvent({ type: 'ivrMenuEntered', at: i, callId: 'c'.repeat(200) + i, menu: 'main' });
      s.commit();
      expect(s.retention.usage().usedBytes).toBeGreaterThan(before + 500 * 200);
    });
  });
}

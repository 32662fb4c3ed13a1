/**
 * Canceling a kept-place callback through GatewayApi.cancelCallback: a
 * pending one leaves its queue and finishes 'canceled', durably before the
 * call returns; an unknown or finished one is CALLBACK_UNKNOWN; one being
 * dialled is refused with CALLBACK_DIALLING and can be canceled once the
 * attempt is over.
 */
import { describe, expect, it } from 'vitest';
import { isCcgateError } from '../../gateway/core/errors.ts';
import { caller, makeWorld, siteYaml, type World } from '../support/world.ts';

const ONE_AGENT = `  - { id: a1, name: Ali, endpoint: '+989120000001', queues: [flights] }`;
const QUEUES = `  flights:
    name: Flights
    wrapUpMs: 0
    announce: { everyMs: 0 }
    survey: { enabled: false }
    callback:
      offerAtPosition: 1
  trains: { name: Trains }
  hotels: { name: Hotels }`;

const CUSTOMER = '+989120000777';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return null;
}

/** One agent, paused; one caller who books a callback. Returns the world and the callback's id. */
function bookedCallback(): { w: World; id: string } {
  // Group commit on: cancelCallback must still return only once the change is on disk.
  const w = makeWorld(siteYaml({ queues: QUEUES, agents: ONE_AGENT }), { groupCommitMs: 2_000 });
  w.login('a1');
  w.gw.agentPause('a1', 'Meeting');
  w.call(caller(CUSTOMER, { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
  w.run(60_000);
  const [req] = w.ofType('callbackRequested');
  expect(req).toBeDefined();
  return { w, id: req!.callbackId };
}

describe('cancelCallback', () => {
  it('takes a pending callback out of its queue and finishes it canceled, durably; it is never dialled', () => {
    const { w, id } = bookedCallback();
    expect(w.gw.snapshot().callbacks).toEqual({ pending: 1, dialling: 0 });
    expect(w.gw.snapshot().queues.find((q) => q.id === 'flights')?.waiting.map((e) => e.callbackId)).toEqual([id]);
    const committed: string[] = [];
    w.gw.subscribe((e) => {
      if (e.type === 'callbackFinished') committed.push(e.outcome);
    });
    w.gw.cancelCallback(id, 'cloud');
    expect(committed).toEqual(['canceled']);
    expect(w.store.dirty).toBe(false);
    expect(w.ofType('callbackFinished')).toMatchObject([{ callbackId: id, outcome: 'canceled', attempts: 0 }]);
    expect(w.store.callbacks.get(id)).toMatchObject({ status: 'canceled', finishedAt: w.clock.now() });
    expect(w.store.callbacks.active()).toEqual([]);
    expect(w.store.entries.all().filter((e) => e.callbackId === id)).toEqual([]);
    expect(w.gw.snapshot().callbacks).toEqual({ pending: 0, dialling: 0 });
    expect(w.gw.snapshot().queues.find((q) => q.id === 'flights')?.waiting).toEqual([]);
    w.gw.agentUnpause('a1');
    w.run(10 * 60_000);
    expect(w.ofType('callbackDialled')).toEqual([]);
  });

  it('an unknown or already finished callback is CALLBACK_UNKNOWN and nothing changes', () => {
    const { w, id } = bookedCallback();
    const unknown = thrown(() => w.gw.cancelCallback('cb999'));
    expect(isCcgateError(unknown, 'CALLBACK_UNKNOWN')).toBe(true);
    expect((unknown as Error).message).toMatch(/no such callback/);
    expect(w.store.callbacks.get(id)?.status).toBe('pending');
    w.gw.cancelCallback(id);
    const events = w.events.length;
    const again = thrown(() => w.gw.cancelCallback(id));
    expect(isCcgateError(again, 'CALLBACK_UNKNOWN')).toBe(true);
    expect((again as { context: Record<string, unknown> }).context).toMatchObject({ callbackId: id, status: 'canceled' });
    expect(w.events).toHaveLength(events);
  });

  it('a callback being dialled is refused with CALLBACK_DIALLING; once the attempt failed it can be canceled', () => {
    const { w, id } = bookedCallback();
    w.net.addSubscriber(CUSTOMER, { answer: 'noAnswer' });
    w.gw.agentUnpause('a1');
    w.run(5_000);
    expect(w.store.callbacks.get(id)?.status).toBe('dialling');
    const events = w.events.length;
    const e = thrown(() => w.gw.cancelCallback(id));
    expect(isCcgateError(e, 'CALLBACK_DIALLING')).toBe(true);
    expect(w.events).toHaveLength(events);
    expect(w.store.callbacks.get(id)?.status).toBe('dialling');
    // The customer does not answer: the attempt fails and the callback waits for its retry.
    for (let t = 0; t < 120_000 && w.store.callbacks.get(id)?.status === 'dialling'; t += 1_000) w.run(1_000);
    w.run(2_000); // past the group commit: subscribers have the attempt's events
    expect(w.ofType('callbackAttemptFailed').filter((a) => a.reason !== 'agentNoAnswer')).toMatchObject([{ callbackId: id, attempt: 1, reason: 'noAnswer' }]);
    expect(w.store.callbacks.get(id)?.status).toBe('pending');
    w.gw.cancelCallback(id);
    expect(w.ofType('callbackFinished')).toMatchObject([{ callbackId: id, outcome: 'canceled', attempts: 1 }]);
    w.run(30 * 60_000);
    expect(w.ofType('callbackDialled')).toHaveLength(1);
  });
});

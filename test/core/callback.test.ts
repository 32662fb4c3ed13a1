import { describe, expect, it } from 'vitest';
import { caller, makeWorld, siteYaml, type World } from '../support/world.ts';

const ONE_AGENT = `  - { id: a1, name: Ali, endpoint: '+989120000001', queues: [flights] }`;

function flights(extra = ''): string {
  return `  flights:
    name: Flights
    wrapUpMs: 0
    announce: { everyMs: 0 }
    survey: { enabled: false }
    callback:
      offerAtPosition: 3
${extra}
  trains: { name: Trains }
  hotels: { name: Hotels }`;
}

/** Numbers in the order agents were connected to them, live and callback alike. */
function servedOrder(w: World): string[] {
  const numberOf = new Map<string, string>();
  for (const e of w.ofType('queueEntered')) numberOf.set(e.callId, e.callerNumber);
  return w.ofType('queueConnected').map((e) => numberOf.get(e.callId)!);
}

describe('callback keeping the caller’s place', () => {
  it('serves live and virtual entries strictly in original arrival order', () => {
    const w = makeWorld(siteYaml({ queues: flights(), agents: ONE_AGENT }));
    w.login('a1');
    // Occupy the only agent for 10 minutes.
    w.call(caller('+989120000100', { keys: { 'ivr-main': '1' }, talkMs: 600_000 }));
    w.run(30_000);
    const nums = ['+989120000101', '+989120000102', '+989120000103', '+989120000104', '+989120000105'];
    for (const n of nums) {
      // Position 3 and later are offered the callback; only ...103 accepts.
      w.call(caller(n, { keys: { 'ivr-main': '1', 'callback-offer': n.endsWith('103') ? '1' : '' }, talkMs: 60_000 }));
      w.run(10_000);
    }
    const req = w.ofType('callbackRequested');
    expect(req).toHaveLength(1);
    expect(req[0]!.number).toBe('+989120000103');
    expect(w.ofType('queueExited').filter((e) => e.reason === 'key')).toHaveLength(1);
    // The caller heard the confirmation only after the request was recorded.
    const confirmed = w.net.callers.find((c) => c.script.callerId.kind === 'number' && c.script.callerId.number === '+989120000103')!;
    expect(confirmed.heard.some((h) => h.startsWith('callback-confirmed'))).toBe(true);
    w.run(60 * 60_000);
    expect(servedOrder(w)).toEqual(['+989120000100', ...nums]);
    const finished = w.ofType('callbackFinished');
    expect(finished).toMatchObject([{ outcome: 'completed', attempts: 1 }]);
    expect(w.net.violations).toEqual([]);
  });

  it('does not duplicate a callback for the same number and queue', () => {
    const w = makeWorld(siteYaml({ queues: flights(), agents: ONE_AGENT }));
    w.login('a1');
    w.gw.agentPause('a1', 'Lunch');
    for (let i = 0; i < 2; i++) w.call(caller(`+98912000020${i}`, { keys: { 'ivr-main': '1' } }));
    w.run(20_000);
    w.call(caller('+989120000999', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(60_000);
    w.call(caller('+989120000999', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(60_000);
    expect(w.ofType('callbackRequested')).toHaveLength(1);
    expect(w.ofType('callbackDuplicate')).toHaveLength(1);
    expect(w.store.callbacks.active()).toHaveLength(1);
    const second = w.net.callers[3]!;
    expect(second.heard).toContain('callback-already');
  });

  it('never dials more callbacks than there are ready agents', () => {
    const agents = [1, 2, 3].map((i) => `  - { id: a${i}, endpoint: '+98912000000${i}', queues: [flights] }`).join('\n');
    const w = makeWorld(siteYaml({ queues: flights(), agents }));
    w.login('a1', 'a2', 'a3');
    for (const a of ['a1', 'a2', 'a3']) w.gw.agentPause(a, 'Meeting');
    // Eight callers; from position 3 on, each takes a callback.
    for (let i = 0; i < 8; i++) {
      w.call(caller(`+98912000030${i}`, { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
      w.run(5_000);
    }
    w.run(60_000);
    expect(w.store.callbacks.active()).toHaveLength(6);
    // The two live callers still hold places 1 and 2; they get the first agents.
    w.gw.agentUnpause('a1');
    let maxInFlight = 0;
    for (let t = 0; t < 600; t++) {
      const dialling = w.store.callbacks.active().filter((c) => c.status === 'dialling').length;
      const readyOrReserved = w.gw.snapshot().agents.filter((a) => a.state !== 'paused' && a.state !== 'loggedOut').length;
      maxInFlight = Math.max(maxInFlight, dialling);
      expect(dialling).toBeLessThanOrEqual(readyOrReserved);
      w.run(1_000);
    }
    expect(maxInFlight).toBe(1);
    w.gw.agentUnpause('a2');
    w.gw.agentUnpause('a3');
    w.run(30 * 60_000);
    expect(w.ofType('callbackFinished').filter((e) => e.outcome === 'completed')).toHaveLength(6);
    expect(servedOrder(w).slice(0, 2)).toEqual(['+989120000300', '+989120000301']);
  });

  it('retries an unanswered callback after the gap, then fails after the last attempt', () => {
    const w = makeWorld(siteYaml({ queues: flights('      attempts: 2\n      retryGapMs: 5m'), agents: ONE_AGENT }));
    w.net.addSubscriber('+989120000777', { answer: 'noAnswer' });
    w.login('a1');
    w.gw.agentPause('a1', 'Training');
    w.call(caller('+989120000701', { keys: { 'ivr-main': '1' } }));
    w.call(caller('+989120000702', { keys: { 'ivr-main': '1' } }));
    w.run(5_000);
    w.call(caller('+989120000777', { keys: { 'ivr-main': '1', 'callback-offer': '1' }, patienceMs: null }));
    w.run(30_000);
    for (const c of w.net.callers.slice(0, 2)) expect(c.outcome).toBeNull();
    w.gw.agentUnpause('a1');
    w.run(2 * 60 * 60_000);
    const fails = w.ofType('callbackAttemptFailed').filter((e) => e.reason === 'noAnswer');
    expect(fails.map((f) => f.attempt)).toEqual([1, 2]);
    expect(fails[1]!.at - fails[0]!.at).toBeGreaterThanOrEqual(5 * 60_000);
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'failed', attempts: 2 }]);
    expect(w.store.callbacks.active()).toHaveLength(0);
  });

  it('customer-first mode dials the customer with an agent reserved and keeps their place', () => {
    const w = makeWorld(siteYaml({ queues: flights('      mode: customerFirst'), agents: ONE_AGENT }));
    w.login('a1');
    w.gw.agentPause('a1', 'Break');
    w.call(caller('+989120000801', { keys: { 'ivr-main': '1' } }));
    w.call(caller('+989120000802', { keys: { 'ivr-main': '1' } }));
    w.run(5_000);
    w.call(caller('+989120000803', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(5_000);
    w.call(caller('+989120000804', { keys: { 'ivr-main': '1', 'callback-offer': '' } }));
    w.run(30_000);
    w.gw.agentUnpause('a1');
    w.run(60 * 60_000);
    expect(servedOrder(w)).toEqual(['+989120000801', '+989120000802', '+989120000803', '+989120000804']);
    expect(w.ofType('callbackDialled')).toMatchObject([{ mode: 'customerFirst', attempt: 1 }]);
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed' }]);
  });

  it('expires a callback that could not be served in time', () => {
    const w = makeWorld(siteYaml({ queues: flights('      expiryMs: 20m'), agents: ONE_AGENT }));
    w.login('a1');
    w.gw.agentPause('a1', 'Away');
    w.call(caller('+989120000901', { keys: { 'ivr-main': '1' } }));
    w.call(caller('+989120000902', { keys: { 'ivr-main': '1' } }));
    w.run(5_000);
    w.call(caller('+989120000903', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(30 * 60_000);
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'expired', attempts: 0 }]);
  });

  it('does not offer withheld callers a callback unless the queue asks for a number', () => {
    const w = makeWorld(siteYaml({ queues: flights(), agents: ONE_AGENT }));
    w.login('a1');
    w.gw.agentPause('a1', 'Away');
    for (let i = 0; i < 2; i++) w.call(caller(`+98912000100${i}`, { keys: { 'ivr-main': '1' } }));
    w.run(5_000);
    const hidden = w.call({ callerId: { kind: 'withheld' }, keys: { 'ivr-main': '1', 'callback-offer': '1' } });
    w.run(60_000);
    expect(hidden.heard).not.toContain('callback-offer');
    expect(w.ofType('callbackOfferDeclined')).toMatchObject([{ reason: 'withheld' }]);
    expect(w.ofType('queueEntered').at(-1)!.callerNumber).toBe('');

    const w2 = makeWorld(siteYaml({ queues: flights('      withheld: askNumber'), agents: ONE_AGENT }));
    w2.login('a1');
    w2.gw.agentPause('a1', 'Away');
    for (let i = 0; i < 2; i++) w2.call(caller(`+98912000100${i}`, { keys: { 'ivr-main': '1' } }));
    w2.run(5_000);
    w2.call({ callerId: { kind: 'unavailable' }, keys: { 'ivr-main': '1', 'callback-offer': '1', 'callback-enter-number': '09121234567#' } });
    w2.run(60_000);
    expect(w2.ofType('callbackRequested')).toMatchObject([{ number: '09121234567' }]);
  });
});

describe('callback windows and max-wait offers', () => {
  it('dials a callback only inside its window, carrying it over to the next opening', () => {
    // Window 09:00–17:00 Tehran; the caller asks at 16:55 (13:25 UTC) while the only agent is busy.
    const hours = `schedules:
  callbacks:
    weekly: { mon: '09:00-17:00', tue: '09:00-17:00' }`;
    const w = makeWorld(siteYaml({ queues: flights('      schedule: callbacks\n      expiryMs: 1d'), agents: ONE_AGENT, extra: hours }), { start: Date.UTC(2026, 0, 5, 13, 20) });
    w.login('a1');
    w.call(caller('+989120000500', { keys: { 'ivr-main': '1' }, talkMs: 20 * 60_000 }));
    w.run(5_000);
    for (let i = 1; i <= 2; i++) w.call(caller(`+98912000050${i}`, { keys: { 'ivr-main': '1' }, patienceMs: 60_000 }));
    w.run(5_000);
    w.call(caller('+989120000599', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(60_000);
    expect(w.ofType('callbackRequested')).toHaveLength(1);
    w.run(20 * 3600_000);
    const dial = w.ofType('callbackDialled')[0]!;
    // Not at 17:00 Monday when the agent was free, but Tuesday 09:00 Tehran (05:30 UTC).
    expect(dial.at).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 6, 5, 30));
    expect(dial.at).toBeLessThan(Date.UTC(2026, 0, 6, 5, 31));
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed' }]);
  });

  it('offers the callback at max wait when the queue overflows to a callback offer', () => {
    const q = flights().replace('    wrapUpMs: 0\n', '    wrapUpMs: 0\n    maxWaitMs: 2m\n    overflow: { callbackOffer: true }\n').replace('offerAtPosition: 3', 'offerAtPosition: 0');
    const w = makeWorld(siteYaml({ queues: q, agents: ONE_AGENT }));
    w.login('a1');
    w.gw.agentPause('a1', 'Away');
    const c = w.call(caller('+989120000701', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    const d = w.call(caller('+989120000702', { keys: { 'ivr-main': '1', 'callback-offer': '9' } }));
    w.run(90_000);
    expect(c.heard).not.toContain('callback-offer');
    w.run(60_000);
    expect(c.heard).toContain('callback-offer');
    expect(w.ofType('callbackRequested')).toMatchObject([{ number: '+989120000701' }]);
    // The one who declined at max wait leaves with a timeout and a goodbye.
    expect(w.ofType('queueExited').find((e) => e.reason === 'timeout')).toBeDefined();
    expect(d.heard.at(-1)).toBe('goodbye');
  });
});

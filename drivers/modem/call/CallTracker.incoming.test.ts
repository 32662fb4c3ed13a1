import { describe, expect, it } from 'vitest';
import { cid, clip, ended, entry, ring, setup, type Recorded } from './testSupport.ts';

/**
 * Incoming-call scenarios of gsm-modems.md §10 (2, 3 and the scenario-1
 * variant), as typed URC sequences. Strings are copied from gsm-modems.md and
 * fixtures/at-traces (source noted per test); the parsers are tested elsewhere.
 */

// `+CLIP: "+27821231234",145,,,,0` (gsm-modems.md scenario 2).
const CALLER = cid('+27821231234');

describe('CallTracker: RING / CLIP ordering (scenario 2)', () => {
  it('(a) RING, CLIP 300 ms later: announced after the 200 ms grace, number follows as callerIdUpdated', () => {
    const t = setup();
    t.tracker.onUrc(ring());
    t.clock.advance(199);
    expect(t.take()).toEqual([]);
    t.clock.advance(1);
    expect(t.take()).toEqual<Recorded[]>([
      ['incoming', { callId: 'm1-1', index: null, callerId: null }],
      ['ringing', { callId: 'm1-1', count: 1 }],
    ]);
    // oFono: no CLIP in time → ask CLCC for the number.
    expect(t.clccRequests()).toBe(1);
    t.clock.advance(100);
    t.tracker.onUrc(clip(CALLER));
    expect(t.take()).toEqual<Recorded[]>([['callerIdUpdated', { callId: 'm1-1', callerId: CALLER }]]);
    expect(t.tracker.calls()).toHaveLength(1);
  });

  it('RING then CLIP inside the grace window: one incoming with the number, grace timer gone', () => {
    const t = setup();
    t.tracker.onUrc(ring());
    t.clock.advance(120);
    t.tracker.onUrc(clip(CALLER));
    expect(t.take()).toEqual<Recorded[]>([
      ['incoming', { callId: 'm1-1', index: null, callerId: CALLER }],
      ['ringing', { callId: 'm1-1', count: 1 }],
    ]);
    expect(t.clock.pendingTimers('clipGrace')).toEqual([]);
    t.clock.advance(500);
    expect(t.take()).toEqual([]);
    expect(t.clccRequests()).toBe(0);
  });

  it('(b) RING, RING, then CLIP: ring count increments, one call', () => {
    const t = setup();
    t.tracker.onUrc(ring());
    t.clock.advance(3000);
    t.tracker.onUrc(ring());
    t.clock.advance(100);
    t.tracker.onUrc(clip(CALLER));
    expect(t.take()).toEqual<Recorded[]>([
      ['incoming', { callId: 'm1-1', index: null, callerId: null }],
      ['ringing', { callId: 'm1-1', count: 1 }],
      ['ringing', { callId: 'm1-1', count: 2 }],
      ['callerIdUpdated', { callId: 'm1-1', callerId: CALLER }],
    ]);
  });

  it('(b) two RINGs inside the grace window, then CLIP: still one incoming, count 2', () => {
    const t = setup();
    t.tracker.onUrc(ring());
    t.tracker.onUrc(ring());
    t.tracker.onUrc(clip(CALLER));
    expect(t.take()).toEqual<Recorded[]>([
      ['incoming', { callId: 'm1-1', index: null, callerId: CALLER }],
      ['ringing', { callId: 'm1-1', count: 2 }],
    ]);
  });

  it('(c) CLIP with no RING: incoming at once, no ringing', () => {
    const t = setup();
    t.tracker.onUrc(clip(CALLER));
    expect(t.take()).toEqual<Recorded[]>([['incoming', { callId: 'm1-1', index: null, callerId: CALLER }]]);
    expect(t.clock.pendingTimers('clipGrace')).toEqual([]);
  });

  it('(d) +CRING: VOICE on the first call, plain RING on the next: two calls, one incoming each', () => {
    const t = setup();
    const second = cid('0612345678', 129);
    t.tracker.onUrc(ring('VOICE'));
    t.tracker.onUrc(clip(CALLER));
    t.tracker.onUrc(ended('noCarrier'));
    t.clock.advance(10_000);
    t.tracker.onUrc(ring());
    t.tracker.onUrc(clip(second));
    expect(t.take()).toEqual<Recorded[]>([
      ['incoming', { callId: 'm1-1', index: null, callerId: CALLER }],
      ['ringing', { callId: 'm1-1', count: 1 }],
      ['ended', { callId: 'm1-1', index: null, reason: 'remote' }],
      ['incoming', { callId: 'm1-2', index: null, callerId: second }],
      ['ringing', { callId: 'm1-2', count: 1 }],
    ]);
  });

  // (e) five RING/CLIP repetitions, every permutation of the order inside each pair.
  const orders = Array.from({ length: 32 }, (_, bits) =>
    Array.from({ length: 5 }, (_, i) => ((bits >> i) & 1 ? 'CLIP,RING' : 'RING,CLIP')).join(' '),
  );
  it.each(orders)('(e) five repetitions in the order %s → one incoming, rings 1..5', (order) => {
    const t = setup();
    for (const pair of order.split(' ')) {
      for (const what of pair.split(',')) {
        t.tracker.onUrc(what === 'RING' ? ring() : clip(CALLER));
        t.clock.advance(50);
      }
      t.clock.advance(3000);
    }
    expect(t.take()).toEqual<Recorded[]>([
      ['incoming', { callId: 'm1-1', index: null, callerId: CALLER }],
      ...[1, 2, 3, 4, 5].map((count): Recorded => ['ringing', { callId: 'm1-1', count }]),
    ]);
  });

  it('a caller who hangs up inside the grace window was still a call: incoming, then ended', () => {
    const t = setup();
    t.tracker.onUrc(ring());
    t.clock.advance(50);
    t.tracker.onUrc(ended('noCarrier'));
    expect(t.take().map(([name]) => name)).toEqual(['incoming', 'ringing', 'ended']);
    expect(t.clock.pendingTimers()).toEqual([]);
  });
});

describe('CallTracker: scenario 1 variant (fixture multi-vendor-final-result-and-echo.json)', () => {
  it('+CRING: VOICE then +CLIP: "+0123456789",145,,,,0 → exactly one incoming with that number', () => {
    const t = setup();
    t.tracker.onUrc(ring('VOICE'));
    t.tracker.onUrc(clip(cid('+0123456789')));
    const incoming = t.take().filter(([name]) => name === 'incoming');
    expect(incoming).toEqual<Recorded[]>([['incoming', { callId: 'm1-1', index: null, callerId: cid('+0123456789') }]]);
  });
});

describe('CallTracker: odd caller IDs (scenario 3)', () => {
  it.each([
    ['+CLIP: "",128,,,,1 (withheld)', { number: '', type: 128, validity: 'withheld', alpha: null }],
    ['+CLIP: "+7913913ABCA",145 (non-digits, chan_dongle fixture)', cid('+7913913ABCA')],
    ['+CLIP: "0612345678",129 (national)', cid('0612345678', 129)],
    ['+CLIP: "+420123456789",145,"",128,"",0', cid('+420123456789')],
  ] as const)('%s is passed on unaltered', (_line, callerId) => {
    const t = setup();
    t.tracker.onUrc(clip({ ...callerId }));
    expect(t.take()).toEqual<Recorded[]>([['incoming', { callId: 'm1-1', index: null, callerId: { ...callerId } }]]);
  });

  it('a CLCC number without <type> (`+CLCC: 1,1,4,0,0,"+7913913ABCA"`) is no caller ID; the rest of the list still counts', () => {
    const t = setup();
    t.tracker.onUrc(ring());
    t.clock.advance(200);
    t.take();
    t.tracker.onClcc([entry(1, 'in', 'incoming', '+7913913ABCA', null), entry(2, 'in', 'waiting', '+27820001234', 145)]);
    expect(t.take()).toEqual<Recorded[]>([
      ['incoming', { callId: 'm1-2', index: 2, callerId: { number: '+27820001234', type: 145, validity: 'valid', alpha: null } }],
    ]);
    expect(t.tracker.calls().map((c) => [c.callId, c.index, c.callerId])).toEqual([
      ['m1-1', 1, null],
      ['m1-2', 2, { number: '+27820001234', type: 145, validity: 'valid', alpha: null }],
    ]);
  });

  it('caller ID from CLCC when the modem sends no CLIP (chan_dongle leaves CLIP off on Huawei)', () => {
    const t = setup();
    t.tracker.onUrc(ring('VOICE'));
    t.clock.advance(200);
    t.tracker.onClcc([entry(1, 'in', 'incoming', '+27820001234', 145)]);
    expect(t.take()).toEqual<Recorded[]>([
      ['incoming', { callId: 'm1-1', index: null, callerId: null }],
      ['ringing', { callId: 'm1-1', count: 1 }],
      ['callerIdUpdated', { callId: 'm1-1', callerId: cid('+27820001234') }],
    ]);
    // A later CLIP with the same number changes nothing.
    t.tracker.onUrc(clip(cid('+27820001234')));
    expect(t.take()).toEqual([]);
  });

  it('a CLCC answer with the number inside the grace window announces at once', () => {
    const t = setup();
    t.tracker.onUrc(ring());
    t.tracker.onClcc([entry(1, 'in', 'incoming', '+27820001234', 145)]);
    expect(t.take()).toEqual<Recorded[]>([
      ['incoming', { callId: 'm1-1', index: 1, callerId: cid('+27820001234') }],
      ['ringing', { callId: 'm1-1', count: 1 }],
    ]);
    expect(t.clock.pendingTimers('clipGrace')).toEqual([]);
  });
});

describe('CallTracker: calls the tracker learns from CLCC only', () => {
  it('Quectel ccinfo / Huawei URC for an unknown call triggers CLCC, which adopts it', () => {
    const t = setup();
    t.tracker.onUrc({ kind: 'callState', index: 1, state: 'incoming', source: '+QIND: "ccinfo"' });
    expect(t.clccRequests()).toBe(1);
    expect(t.take()).toEqual([]);
    t.tracker.onClcc([entry(1, 'in', 'incoming', '+27820001234', 145)]);
    expect(t.take()).toEqual<Recorded[]>([['incoming', { callId: 'm1-1', index: 1, callerId: cid('+27820001234') }]]);
  });

  it('+CCWA (waiting call) during an active call is a second incoming call', () => {
    const t = setup();
    t.tracker.onUrc(clip(CALLER));
    t.tracker.answered('m1-1');
    t.take();
    t.tracker.onUrc(clip(cid('+27820005555'), true));
    t.tracker.onUrc(clip(cid('+27820005555'), true));
    expect(t.take()).toEqual<Recorded[]>([['incoming', { callId: 'm1-2', index: null, callerId: cid('+27820005555') }]]);
    expect(t.tracker.calls().map((c) => c.phase)).toEqual(['active', 'waiting']);
  });
});

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { Lapd } from './Lapd.ts';
import { decodeLapd, encodeLapd, type LapdFrame } from './lapdFrame.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);
const describeFrame = (b: Uint8Array): string => {
  const r = decodeLapd(b);
  if (!r.ok) return `?${r.error}`;
  const f = r.frame;
  if (f.format === 'I') return `I${f.ns}/${f.nr}${f.p ? 'P' : ''}`;
  if (f.format === 'S') return `${f.type}${f.nr}${f.pf ? 'F' : ''}`;
  return `${f.type}${f.pf ? 'F' : ''}`;
};

/**
 * A user side and a network side back to back in virtual time; `drop`
 * decides per frame whether the wire loses it. Frames are delivered after
 * `delayMs` so both sides act as on a real line.
 */
function pair(opts: { drop?: (from: 'user' | 'network', f: string, n: number) => boolean; delayMs?: number } = {}) {
  const clock = new FakeClock(0);
  const log: string[] = [];
  const got = { user: [] as string[], network: [] as string[] };
  let n = 0;
  const wire = (from: 'user' | 'network', to: () => Lapd) => (b: Uint8Array) => {
    const d = describeFrame(b);
    const k = n++;
    const lost = opts.drop?.(from, d, k) ?? false;
    log.push(`${from === 'user' ? 'U>N' : 'N>U'} ${d}${lost ? ' (lost)' : ''}`);
    if (!lost) clock.setTimer('wire', opts.delayMs ?? 5, () => to().receive(b));
  };
  const user: Lapd = new Lapd({ clock, side: 'user', send: wire('user', () => network) });
  const network: Lapd = new Lapd({ clock, side: 'network', send: wire('network', () => user) });
  user.on('info', (b) => got.user.push(str(b)));
  network.on('info', (b) => got.network.push(str(b)));
  const events: string[] = [];
  for (const [name, l] of [['user', user], ['network', network]] as const) {
    l.on('linkUp', () => events.push(`${name} up`));
    l.on('linkDown', (r) => events.push(`${name} down ${r}`));
    l.on('linkReset', (by) => events.push(`${name} reset by ${by}`));
  }
  return { clock, user, network, log, got, events };
}

describe('Lapd (Q.921) back to back', () => {
  it('establishes with SABME/UA and carries information both ways, acknowledged', () => {
    const w = pair();
    w.user.start();
    w.clock.advance(20);
    expect(w.log.slice(0, 2)).toEqual(['U>N SABMEF', 'N>U UAF']);
    expect(w.events).toEqual(['network up', 'user up']);
    w.user.sendInfo(text('SETUP'));
    w.network.sendInfo(text('RESTART'));
    w.clock.advance(50);
    expect(w.got).toEqual({ user: ['RESTART'], network: ['SETUP'] });
    w.clock.advance(10);
    expect(w.user.counters.iTx).toBe(1);
    expect(w.user.state).toBe('established');
    // Idle for T203: each side polls, the other answers, nothing else happens.
    w.clock.advance(10_500);
    expect(w.log).toContain('U>N RR1F');
    expect(w.user.state).toBe('established');
  });

  it('sends up to k=7 before an acknowledgement, then the rest', () => {
    const w = pair({ delayMs: 50 });
    w.user.start();
    w.clock.advance(200);
    for (let i = 0; i < 10; i++) w.user.sendInfo(text(`m${i}`));
    expect(w.user.counters.iTx).toBe(7);
    w.clock.advance(500);
    expect(w.got.network).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
  });

  it('a lost I-frame: the next one out of sequence draws one REJ, and the rest is resent', () => {
    const w = pair({ drop: (from, f) => from === 'user' && f.startsWith('I1/') && !w.log.some((l) => l.includes('I1/') && l.includes('lost')) });
    w.user.start();
    w.clock.advance(20);
    for (const m of ['a', 'b', 'c', 'd']) w.user.sendInfo(text(m));
    w.clock.advance(100);
    expect(w.got.network).toEqual(['a', 'b', 'c', 'd']);
    expect(w.log.filter((l) => l.startsWith('N>U REJ'))).toHaveLength(1);
    expect(w.user.counters.retransmissions).toBeGreaterThan(0);
  });

  it('a lost last frame is recovered by T200 and a poll (timer recovery)', () => {
    let dropped = false;
    const w = pair({ drop: (from, f) => !dropped && from === 'user' && f.startsWith('I0/') && (dropped = true) });
    w.user.start();
    w.clock.advance(20);
    w.user.sendInfo(text('only'));
    w.clock.advance(500);
    expect(w.got.network).toEqual([]);
    w.clock.advance(1_000);
    expect(w.log).toContain('U>N RR0F');
    w.clock.advance(100);
    expect(w.got.network).toEqual(['only']);
    expect(w.user.state).toBe('established');
    expect(w.user.counters.t200Expiries).toBe(1);
  });

  it('a peer that never answers: SABME N200+1 times, link down, then tried again with back-off', () => {
    const w = pair({ drop: (from) => from === 'user' });
    w.user.start();
    w.clock.advance(3_900);
    expect(w.log.filter((l) => l.startsWith('U>N SABME'))).toHaveLength(4);
    w.clock.advance(200);
    expect(w.events).toEqual(['user down noAnswer']);
    // Retries after 1 s, then 2 s between rounds.
    w.clock.advance(1_000);
    expect(w.log.filter((l) => l.startsWith('U>N SABME'))).toHaveLength(5);
  });

  it('SABME from the peer while up resets the link and is reported; DISC takes it down', () => {
    const w = pair();
    w.user.start();
    w.clock.advance(20);
    w.user.receive(encodeLapd({ sapi: 0, tei: 0, cr: 1, format: 'U', type: 'SABME', pf: true, info: new Uint8Array() }));
    w.clock.advance(20);
    expect(w.events).toContain('user reset by peer');
    w.user.receive(encodeLapd({ sapi: 0, tei: 0, cr: 1, format: 'U', type: 'DISC', pf: true, info: new Uint8Array() }));
    expect(w.user.state).toBe('down');
    expect(w.events).toContain('user down releasedByPeer');
  });

  it('a wrong N(R) makes the user re-establish; garbage and other SAPIs are counted and ignored', () => {
    const w = pair();
    w.user.start();
    w.clock.advance(20);
    const bad: LapdFrame = { sapi: 0, tei: 0, cr: 1, format: 'I', ns: 0, nr: 5, p: false, info: text('x') };
    w.user.receive(encodeLapd(bad));
    expect(w.events).toContain('user reset by us');
    expect(w.user.state).toBe('establishing');
    w.clock.advance(20);
    expect(w.user.state).toBe('established');
    w.user.receive(bytes(0xff));
    w.user.receive(encodeLapd({ sapi: 63, tei: 127, cr: 0, format: 'U', type: 'UI', pf: false, info: bytes(0x0f) }));
    expect(w.user.counters.discarded).toBe(2);
    expect(w.user.state).toBe('established');
  });

  it('RNR stops sending until the peer is ready again', () => {
    const w = pair({ delayMs: 1 });
    w.user.start();
    w.clock.advance(10);
    w.user.receive(encodeLapd({ sapi: 0, tei: 0, cr: 1, format: 'S', type: 'RNR', nr: 0, pf: false }));
    w.user.sendInfo(text('held'));
    expect(w.user.counters.iTx).toBe(0);
    w.user.receive(encodeLapd({ sapi: 0, tei: 0, cr: 1, format: 'S', type: 'RR', nr: 0, pf: false }));
    expect(w.user.counters.iTx).toBe(1);
    w.clock.advance(10);
    expect(w.got.network).toEqual(['held']);
  });

  it('a P=1 command while down is answered DM F=1', () => {
    const sent: string[] = [];
    const l = new Lapd({ clock: new FakeClock(0), send: (b) => sent.push(describeFrame(b)) });
    l.receive(encodeLapd({ sapi: 0, tei: 0, cr: 1, format: 'S', type: 'RR', nr: 0, pf: true }));
    expect(sent).toEqual(['DMF']);
  });
});

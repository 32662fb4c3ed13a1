/**
 * The Q.921 procedures the state table (lapdMachine.ts) is made of: frame
 * builders, establishment and release, acknowledgement, sending within the
 * window, I- and S-frame handling. Each works on a draft of the variables and
 * appends actions; nothing here does I/O.
 */
import { crFor, isCommand, type LapdFrame, type SType } from './lapdFrame.ts';
import type { LapdAction, LapdInput, LapdVars } from './lapdMachine.ts';
import type { LapdParams } from './lapdParams.ts';

export type Ctx = { v: LapdVars; out: LapdAction[]; p: LapdParams };
export type Handler<I extends LapdInput = LapdInput> = (c: Ctx, input: I) => void;
export type Row = { [K in LapdInput['kind']]?: Handler<Extract<LapdInput, { kind: K }>> };

export const mod = (n: number): number => ((n % 128) + 128) % 128;

export function initialVars(side: 'user' | 'network'): LapdVars {
  return { state: 'down', side, vs: 0, vr: 0, va: 0, rc: 0, peerBusy: false, rejSent: false, unacked: [], pending: [] };
}

// ── frame builders ────────────────────────────────────────────────────────
const addr = (c: Ctx, command: boolean) => ({ sapi: 0, tei: 0, cr: crFor(c.v.side, command) });
function tx(c: Ctx, frame: LapdFrame, retransmission = false): void {
  c.out.push(retransmission ? { kind: 'tx', frame, retransmission } : { kind: 'tx', frame });
}
export const u = (c: Ctx, type: 'SABME' | 'DM' | 'DISC' | 'UA', command: boolean, pf: boolean): void => tx(c, { ...addr(c, command), format: 'U', type, pf, info: new Uint8Array() });
export const s = (c: Ctx, type: SType, command: boolean, pf: boolean): void => tx(c, { ...addr(c, command), format: 'S', type, nr: c.v.vr, pf });
export const act = (c: Ctx, kind: 'startT200' | 'stopT200' | 'startT203' | 'stopT203'): void => void c.out.push({ kind });

// ── shared procedures ────────────────────────────────────────────────────
export function establish(c: Ctx): void {
  c.v.rc = 0;
  c.v.state = 'establishing';
  u(c, 'SABME', true, true);
  act(c, 'stopT203');
  act(c, 'startT200');
}

/** Data-link-initiated re-establishment (Q.921 §5.7): the unacknowledged frames are discarded, Q.931 recovers. */
export function reestablish(c: Ctx, code: string, detail: string): void {
  c.out.push({ kind: 'error', code, detail });
  c.v.unacked = [];
  c.out.push({ kind: 'linkReset', by: 'us', why: detail });
  establish(c);
}

export function resetVars(c: Ctx): void {
  c.v.vs = c.v.vr = c.v.va = 0;
  c.v.rc = 0;
  c.v.peerBusy = false;
  c.v.rejSent = false;
}

/** SABME from the peer: accept, reset the variables (Q.921 §5.5.1.2). */
export function acceptSabme(c: Ctx, f: LapdFrame & { format: 'U' }): void {
  u(c, 'UA', false, f.pf);
  const wasUp = c.v.state === 'established' || c.v.state === 'timerRecovery';
  resetVars(c);
  c.v.unacked = [];
  c.v.state = 'established';
  act(c, 'stopT200');
  act(c, 'startT203');
  c.out.push(wasUp ? { kind: 'linkReset', by: 'peer', why: 'SABME from the peer' } : { kind: 'linkUp' });
  pushPending(c);
}

export function nrValid(v: LapdVars, nr: number): boolean {
  return mod(nr - v.va) <= mod(v.vs - v.va);
}

/** Frames V(A) .. N(R)-1 are acknowledged: free them and move V(A). */
export function freeAcked(v: LapdVars, nr: number): void {
  const n = mod(nr - v.va);
  v.unacked = v.unacked.filter((x) => mod(x.ns - v.va) >= n);
  v.va = nr;
}

/** Frames acknowledged up to N(R) are freed; timers per Q.921 §5.6.3.2. */
export function acknowledge(c: Ctx, nr: number): void {
  const before = c.v.va;
  freeAcked(c.v, nr);
  if (c.v.state !== 'established') return;
  if (nr === c.v.vs) {
    act(c, 'stopT200');
    act(c, 'startT203');
  } else if (nr !== before) act(c, 'startT200');
}

/** Send queued information while the window, the peer and the state allow. */
export function pushPending(c: Ctx): void {
  const v = c.v;
  while (v.state === 'established' && !v.peerBusy && v.pending.length > 0 && mod(v.vs - v.va) < c.p.k) {
    const info = v.pending.shift()!;
    const ns = v.vs;
    tx(c, { ...addr(c, true), format: 'I', ns, nr: v.vr, p: false, info });
    v.unacked.push({ ns, info });
    v.vs = mod(v.vs + 1);
    act(c, 'stopT203');
    act(c, 'startT200');
  }
}

/** An I-frame in states 7 and 8 (Q.921 §5.6.2). */
export function onIFrame(c: Ctx, f: LapdFrame & { format: 'I' }): void {
  const v = c.v;
  if (!isCommand(f.cr, v.side === 'user' ? 'network' : 'user')) return void c.out.push({ kind: 'error', code: 'L', detail: 'I-frame as a response' });
  if (!nrValid(v, f.nr)) return reestablish(c, 'J', `N(R) ${f.nr} outside V(A) ${v.va} .. V(S) ${v.vs}`);
  if (f.ns === v.vr) {
    v.vr = mod(v.vr + 1);
    v.rejSent = false;
    c.out.push({ kind: 'deliver', info: f.info });
    acknowledge(c, f.nr);
    const sentBefore = c.out.length;
    if (!f.p) pushPending(c);
    // Acknowledge now unless an I-frame just carried the acknowledgement (piggyback); a poll needs RR F=1.
    if (f.p || !c.out.slice(sentBefore).some((a) => a.kind === 'tx' && a.frame.format === 'I')) s(c, 'RR', false, f.p);
  } else {
    acknowledge(c, f.nr);
    if (!v.rejSent) {
      v.rejSent = true;
      s(c, 'REJ', false, f.p);
    } else if (f.p) s(c, 'RR', false, true);
  }
}

/** RR, RNR, REJ in state 7 (Q.921 §5.6.3–5.6.5). */
export function onSFrameEstablished(c: Ctx, f: LapdFrame & { format: 'S' }): void {
  const v = c.v;
  const peerSide = v.side === 'user' ? 'network' : 'user';
  const command = isCommand(f.cr, peerSide);
  if (command && f.pf) s(c, 'RR', false, true);
  if (!nrValid(v, f.nr)) return reestablish(c, 'J', `N(R) ${f.nr} outside V(A) ${v.va} .. V(S) ${v.vs}`);
  v.peerBusy = f.type === 'RNR';
  if (f.type === 'REJ') {
    acknowledge(c, f.nr);
    retransmitFrom(c);
    return;
  }
  acknowledge(c, f.nr);
  if (v.peerBusy) act(c, 'startT200');
  pushPending(c);
}

/** Send again every unacknowledged frame from V(A) (after REJ or in recovery). */
export function retransmitFrom(c: Ctx): void {
  const v = c.v;
  v.vs = v.va;
  for (const x of v.unacked) {
    tx(c, { ...addr(c, true), format: 'I', ns: x.ns, nr: v.vr, p: false, info: x.info }, true);
    v.vs = mod(x.ns + 1);
  }
  if (v.unacked.length > 0) {
    act(c, 'stopT203');
    act(c, 'startT200');
  } else {
    act(c, 'stopT200');
    act(c, 'startT203');
  }
  pushPending(c);
}

export function releasedByPeer(c: Ctx, f: LapdFrame & { format: 'U' }): void {
  u(c, 'UA', false, f.pf);
  c.v.state = 'down';
  c.v.unacked = [];
  act(c, 'stopT200');
  act(c, 'stopT203');
  c.out.push({ kind: 'linkDown', reason: 'releasedByPeer' });
}

export function release(c: Ctx): void {
  c.v.rc = 0;
  c.v.state = 'releasing';
  u(c, 'DISC', true, true);
  act(c, 'stopT203');
  act(c, 'startT200');
}

export const queue: Handler<{ kind: 'send'; info: Uint8Array }> = (c, i) => void c.v.pending.push(i.info);


/**
 * Q.921 data-link procedures for one point-to-point link (PRI: SAPI 0,
 * TEI 0), as a pure step function: `(vars, input) → (vars, actions)`. The
 * executor (Lapd.ts) does the I/O and runs the timers the actions name.
 * States (Q.921 §5 / annex B): 4 TEI assigned (link down), 5 awaiting
 * establishment, 6 awaiting release, 7 multiple frame established,
 * 8 timer recovery. Rows are in {@link LAPD_TABLE}, one handler per state
 * and input kind; an input a state does not list is ignored.
 */
import { crFor, isCommand, type LapdFrame, type SType } from './lapdFrame.ts';
import type { LapdParams } from './lapdParams.ts';

export type LapdState = 'down' | 'establishing' | 'releasing' | 'established' | 'timerRecovery';

export interface LapdVars {
  state: LapdState;
  side: 'user' | 'network';
  vs: number;
  vr: number;
  va: number;
  /** Retransmission count (RC). */
  rc: number;
  peerBusy: boolean;
  /** A REJ was sent and the in-sequence frame has not come yet (the "reject exception"). */
  rejSent: boolean;
  /** Sent and not yet acknowledged, by N(S). */
  unacked: Array<{ ns: number; info: Uint8Array }>;
  /** Waiting to be sent (link down, window full, peer busy, timer recovery). */
  pending: Uint8Array[];
}

export type LapdInput =
  | { kind: 'establish' }
  | { kind: 'release' }
  | { kind: 'send'; info: Uint8Array }
  | { kind: 'frame'; frame: LapdFrame }
  | { kind: 't200' }
  | { kind: 't203' };

export type LapdAction =
  | { kind: 'tx'; frame: LapdFrame; retransmission?: boolean }
  | { kind: 'startT200' | 'stopT200' | 'startT203' | 'stopT203' }
  | { kind: 'linkUp' }
  | { kind: 'linkDown'; reason: 'refused' | 'noAnswer' | 'released' | 'releasedByPeer' }
  /** The link was re-established (by either side): unacknowledged frames are gone, Q.931 checks its calls. */
  | { kind: 'linkReset'; by: 'peer' | 'us'; why: string }
  | { kind: 'deliver'; info: Uint8Array }
  /** A Q.921 MDL error indication (annex II letters), counted and logged. */
  | { kind: 'error'; code: string; detail: string };

type Ctx = { v: LapdVars; out: LapdAction[]; p: LapdParams };
type Handler<I extends LapdInput = LapdInput> = (c: Ctx, input: I) => void;
type Row = { [K in LapdInput['kind']]?: Handler<Extract<LapdInput, { kind: K }>> };

const mod = (n: number): number => ((n % 128) + 128) % 128;

export function initialVars(side: 'user' | 'network'): LapdVars {
  return { state: 'down', side, vs: 0, vr: 0, va: 0, rc: 0, peerBusy: false, rejSent: false, unacked: [], pending: [] };
}

// ── frame builders ────────────────────────────────────────────────────────
const addr = (c: Ctx, command: boolean) => ({ sapi: 0, tei: 0, cr: crFor(c.v.side, command) });
function tx(c: Ctx, frame: LapdFrame, retransmission = false): void {
  c.out.push(retransmission ? { kind: 'tx', frame, retransmission } : { kind: 'tx', frame });
}
const u = (c: Ctx, type: 'SABME' | 'DM' | 'DISC' | 'UA', command: boolean, pf: boolean): void => tx(c, { ...addr(c, command), format: 'U', type, pf, info: new Uint8Array() });
const s = (c: Ctx, type: SType, command: boolean, pf: boolean): void => tx(c, { ...addr(c, command), format: 'S', type, nr: c.v.vr, pf });
const act = (c: Ctx, kind: 'startT200' | 'stopT200' | 'startT203' | 'stopT203'): void => void c.out.push({ kind });

// ── shared procedures ────────────────────────────────────────────────────
function establish(c: Ctx): void {
  c.v.rc = 0;
  c.v.state = 'establishing';
  u(c, 'SABME', true, true);
  act(c, 'stopT203');
  act(c, 'startT200');
}

/** Data-link-initiated re-establishment (Q.921 §5.7): the unacknowledged frames are discarded, Q.931 recovers. */
function reestablish(c: Ctx, code: string, detail: string): void {
  c.out.push({ kind: 'error', code, detail });
  c.v.unacked = [];
  c.out.push({ kind: 'linkReset', by: 'us', why: detail });
  establish(c);
}

function resetVars(c: Ctx): void {
  c.v.vs = c.v.vr = c.v.va = 0;
  c.v.rc = 0;
  c.v.peerBusy = false;
  c.v.rejSent = false;
}

/** SABME from the peer: accept, reset the variables (Q.921 §5.5.1.2). */
function acceptSabme(c: Ctx, f: LapdFrame & { format: 'U' }): void {
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

function nrValid(v: LapdVars, nr: number): boolean {
  return mod(nr - v.va) <= mod(v.vs - v.va);
}

/** Frames V(A) .. N(R)-1 are acknowledged: free them and move V(A). */
function freeAcked(v: LapdVars, nr: number): void {
  const n = mod(nr - v.va);
  v.unacked = v.unacked.filter((x) => mod(x.ns - v.va) >= n);
  v.va = nr;
}

/** Frames acknowledged up to N(R) are freed; timers per Q.921 §5.6.3.2. */
function acknowledge(c: Ctx, nr: number): void {
  const before = c.v.va;
  freeAcked(c.v, nr);
  if (c.v.state !== 'established') return;
  if (nr === c.v.vs) {
    act(c, 'stopT200');
    act(c, 'startT203');
  } else if (nr !== before) act(c, 'startT200');
}

/** Send queued information while the window, the peer and the state allow. */
function pushPending(c: Ctx): void {
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
function onIFrame(c: Ctx, f: LapdFrame & { format: 'I' }): void {
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
function onSFrameEstablished(c: Ctx, f: LapdFrame & { format: 'S' }): void {
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
function retransmitFrom(c: Ctx): void {
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

function releasedByPeer(c: Ctx, f: LapdFrame & { format: 'U' }): void {
  u(c, 'UA', false, f.pf);
  c.v.state = 'down';
  c.v.unacked = [];
  act(c, 'stopT200');
  act(c, 'stopT203');
  c.out.push({ kind: 'linkDown', reason: 'releasedByPeer' });
}

function release(c: Ctx): void {
  c.v.rc = 0;
  c.v.state = 'releasing';
  u(c, 'DISC', true, true);
  act(c, 'stopT203');
  act(c, 'startT200');
}

const queue: Handler<{ kind: 'send'; info: Uint8Array }> = (c, i) => void c.v.pending.push(i.info);

// ── the table ────────────────────────────────────────────────────────────
export const LAPD_TABLE: Readonly<Record<LapdState, Row>> = {
  down: {
    establish: (c) => establish(c),
    send: queue,
    frame: (c, { frame: f }) => {
      if (f.format === 'U' && f.type === 'SABME') return acceptSabme(c, f);
      if (f.format === 'U' && f.type === 'DISC') return u(c, 'DM', false, f.pf);
      // A command polling us while the link is down is answered DM F=1 (Q.921 §5.4.1).
      if (f.format !== 'U' && isCommand(f.cr, c.v.side === 'user' ? 'network' : 'user') && (f.format === 'I' ? f.p : f.pf)) u(c, 'DM', false, true);
    },
  },
  establishing: {
    send: queue,
    release: (c) => release(c),
    frame: (c, { frame: f }) => {
      if (f.format !== 'U') return;
      if (f.type === 'UA' && f.pf) {
        resetVars(c);
        c.v.state = 'established';
        act(c, 'stopT200');
        act(c, 'startT203');
        c.out.push({ kind: 'linkUp' });
        return pushPending(c);
      }
      if (f.type === 'DM' && f.pf) {
        c.v.state = 'down';
        act(c, 'stopT200');
        return void c.out.push({ kind: 'linkDown', reason: 'refused' });
      }
      // Both sides establishing at once: answer, and wait for the answer to ours.
      if (f.type === 'SABME') return u(c, 'UA', false, f.pf);
      if (f.type === 'DISC') return u(c, 'DM', false, f.pf);
    },
    t200: (c) => {
      if (c.v.rc < c.p.n200) {
        c.v.rc++;
        u(c, 'SABME', true, true);
        return act(c, 'startT200');
      }
      c.v.state = 'down';
      c.out.push({ kind: 'error', code: 'G', detail: `no answer to SABME after ${c.p.n200 + 1} tries` });
      c.out.push({ kind: 'linkDown', reason: 'noAnswer' });
    },
  },
  releasing: {
    send: queue,
    frame: (c, { frame: f }) => {
      if (f.format === 'U' && (f.type === 'UA' || f.type === 'DM') && f.pf) {
        c.v.state = 'down';
        act(c, 'stopT200');
        c.out.push({ kind: 'linkDown', reason: 'released' });
      } else if (f.format === 'U' && f.type === 'SABME') u(c, 'DM', false, f.pf);
    },
    t200: (c) => {
      if (c.v.rc < c.p.n200) {
        c.v.rc++;
        u(c, 'DISC', true, true);
        return act(c, 'startT200');
      }
      c.v.state = 'down';
      c.out.push({ kind: 'linkDown', reason: 'released' });
    },
  },
  established: {
    send: (c, i) => {
      c.v.pending.push(i.info);
      pushPending(c);
    },
    release: (c) => release(c),
    establish: (c) => reestablish(c, 'user', 're-establishment asked for'),
    frame: (c, { frame: f }) => {
      if (f.format === 'I') return onIFrame(c, f);
      if (f.format === 'S') return onSFrameEstablished(c, f);
      if (f.type === 'SABME') return acceptSabme(c, f);
      if (f.type === 'DISC') return releasedByPeer(c, f);
      if (f.type === 'FRMR') return reestablish(c, 'K', 'FRMR from the peer');
      if (f.type === 'DM' && !f.pf) return reestablish(c, 'E', 'unsolicited DM F=0');
      if (f.type === 'DM' || f.type === 'UA') return void c.out.push({ kind: 'error', code: f.type === 'UA' ? 'C' : 'B', detail: `unsolicited ${f.type}` });
    },
    // Idle for T203: poll the peer (Q.921 §5.6.7) and go to timer recovery.
    t203: (c) => {
      c.v.rc = 0;
      c.v.state = 'timerRecovery';
      s(c, 'RR', true, true);
      act(c, 'startT200');
    },
    t200: (c) => {
      c.v.rc = 1;
      c.v.state = 'timerRecovery';
      s(c, 'RR', true, true);
      act(c, 'startT200');
    },
  },
  timerRecovery: {
    send: queue,
    release: (c) => release(c),
    frame: (c, { frame: f }) => {
      const v = c.v;
      if (f.format === 'I') return onIFrame(c, f);
      if (f.format === 'U') {
        if (f.type === 'SABME') return acceptSabme(c, f);
        if (f.type === 'DISC') return releasedByPeer(c, f);
        if (f.type === 'FRMR' || (f.type === 'DM' && !f.pf)) return reestablish(c, 'K', `${f.type} in timer recovery`);
        return;
      }
      const response = !isCommand(f.cr, v.side === 'user' ? 'network' : 'user');
      if (!response && f.pf) s(c, 'RR', false, true);
      if (!nrValid(v, f.nr)) return reestablish(c, 'J', `N(R) ${f.nr} outside V(A) ${v.va} .. V(S) ${v.vs}`);
      v.peerBusy = f.type === 'RNR';
      if (response && f.pf) {
        // The answer to our poll: back to normal, resending what it has not got (Q.921 §5.6.7).
        freeAcked(v, f.nr);
        v.state = 'established';
        v.rc = 0;
        act(c, 'stopT200');
        return retransmitFrom(c);
      }
      freeAcked(v, f.nr);
    },
    t200: (c) => {
      if (c.v.rc < c.p.n200) {
        c.v.rc++;
        s(c, 'RR', true, true);
        return act(c, 'startT200');
      }
      reestablish(c, 'I', `no answer to ${c.p.n200} polls in timer recovery`);
    },
  },
};

/** One step: the next variables and what to do. Pure: `vars` is not changed. */
export function lapdStep(vars: LapdVars, input: LapdInput, params: LapdParams): { vars: LapdVars; actions: LapdAction[]; handled: boolean } {
  const c: Ctx = { v: { ...vars, unacked: [...vars.unacked], pending: [...vars.pending] }, out: [], p: params };
  const handler = LAPD_TABLE[vars.state][input.kind] as Handler | undefined;
  if (!handler) return { vars, actions: [], handled: false };
  handler(c, input);
  return { vars: c.v, actions: c.out, handled: true };
}

/**
 * Q.921 data-link procedures for one point-to-point link (PRI: SAPI 0,
 * TEI 0), as a pure step function: `(vars, input) → (vars, actions)`. The
 * executor (Lapd.ts) does the I/O and runs the timers the actions name.
 * States (Q.921 §5 / annex B): 4 TEI assigned (link down), 5 awaiting
 * establishment, 6 awaiting release, 7 multiple frame established,
 * 8 timer recovery. Rows are in {@link LAPD_TABLE}, one handler per state
 * and input kind; an input a state does not list is ignored.
 */
import { isCommand, type LapdFrame } from './lapdFrame.ts';
import type { LapdParams } from './lapdParams.ts';
export { initialVars } from './lapdProcedures.ts';
import { acceptSabme, act, establish, freeAcked, nrValid, onIFrame, onSFrameEstablished, queue, reestablish, release, releasedByPeer, resetVars, retransmitFrom, s, u, pushPending, type Ctx, type Handler, type Row } from './lapdProcedures.ts';

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

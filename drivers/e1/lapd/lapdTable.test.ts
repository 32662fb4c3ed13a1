/**
 * Every row of LAPD_TABLE, one case each (user side): the state it leads to
 * and what it does, written from Q.921 (§5 and annex B). The last test
 * checks that no row of the table goes without its case here, so a row added
 * later must be pinned too.
 */
import { describe, expect, it } from 'vitest';
import { crFor, type LapdFrame } from './lapdFrame.ts';
import { LAPD_TABLE, initialVars, lapdStep, type LapdAction, type LapdInput, type LapdState, type LapdVars } from './lapdMachine.ts';
import { LAPD_DEFAULTS } from './lapdParams.ts';

const INFO = Uint8Array.of(0x08, 0x02, 0x00, 0x01, 0x05);
/** A frame the network sent us. */
const net = (command: boolean, f: object): LapdInput => ({ kind: 'frame', frame: { sapi: 0, tei: 0, cr: crFor('network', command), ...f } as LapdFrame });
const U = (type: 'SABME' | 'DM' | 'DISC' | 'UA', pf: boolean, command: boolean): LapdInput => net(command, { format: 'U', type, pf, info: new Uint8Array() });
const vars = (state: LapdState, over: Partial<LapdVars> = {}): LapdVars => ({ ...initialVars('user'), state, ...over });
/** An action as a short word: `tx SABME P`, `tx RR F`, `startT200`, `linkUp`, `error J`. */
const word = (a: LapdAction): string => {
  if (a.kind === 'tx') {
    const f = a.frame;
    const bit = f.format === 'I' ? (f.p ? ' P' : '') : f.pf ? ' P/F' : '';
    return `tx ${f.format === 'I' ? `I${f.ns}` : f.type}${bit}${a.retransmission ? ' again' : ''}`;
  }
  if (a.kind === 'linkDown') return `linkDown ${a.reason}`;
  if (a.kind === 'error') return `error ${a.code}`;
  if (a.kind === 'linkReset') return `linkReset ${a.by}`;
  return a.kind;
};

const established = (over: Partial<LapdVars> = {}): LapdVars => vars('established', over);
const withUnacked = { vs: 1, va: 0, unacked: [{ ns: 0, info: INFO }] };

const CASES: Array<{ state: LapdState; input: LapdInput; from?: LapdVars; to: LapdState; does: string[]; why: string }> = [
  { state: 'down', input: { kind: 'establish' }, to: 'establishing', does: ['tx SABME P/F', 'stopT203', 'startT200'], why: 'SABME P=1, T200 (§5.5.1.2)' },
  { state: 'down', input: { kind: 'send', info: INFO }, to: 'down', does: [], why: 'queued until the link is up' },
  { state: 'down', input: U('SABME', true, true), to: 'established', does: ['tx UA P/F', 'stopT200', 'startT203', 'linkUp'], why: 'the peer establishes: UA F=P' },
  { state: 'establishing', input: { kind: 'send', info: INFO }, to: 'establishing', does: [], why: 'queued' },
  { state: 'establishing', input: { kind: 'release' }, to: 'releasing', does: ['tx DISC P/F', 'stopT203', 'startT200'], why: 'DISC P=1' },
  { state: 'establishing', input: U('UA', true, false), to: 'established', does: ['stopT200', 'startT203', 'linkUp'], why: 'UA F=1 answers our SABME' },
  { state: 'establishing', input: { kind: 't200' }, from: vars('establishing', { rc: 3 }), to: 'down', does: ['error G', 'linkDown noAnswer'], why: 'N200 SABMEs unanswered (MDL G)' },
  { state: 'releasing', input: { kind: 'send', info: INFO }, to: 'releasing', does: [], why: 'queued' },
  { state: 'releasing', input: U('UA', true, false), to: 'down', does: ['stopT200', 'linkDown released'], why: 'UA F=1 answers our DISC' },
  { state: 'releasing', input: { kind: 't200' }, to: 'releasing', does: ['tx DISC P/F', 'startT200'], why: 'DISC again, up to N200' },
  { state: 'established', input: { kind: 'send', info: INFO }, to: 'established', does: ['tx I0', 'stopT203', 'startT200'], why: 'an I-frame in the window starts T200' },
  { state: 'established', input: { kind: 'release' }, to: 'releasing', does: ['tx DISC P/F', 'stopT203', 'startT200'], why: 'DISC P=1' },
  { state: 'established', input: { kind: 'establish' }, to: 'establishing', does: ['error user', 'linkReset us', 'tx SABME P/F', 'stopT203', 'startT200'], why: 're-establishment asked for: SABME, the unacknowledged frames discarded' },
  { state: 'established', input: U('DISC', true, true), to: 'down', does: ['tx UA P/F', 'stopT200', 'stopT203', 'linkDown releasedByPeer'], why: 'the peer releases' },
  { state: 'established', input: { kind: 't203' }, to: 'timerRecovery', does: ['tx RR P/F', 'startT200'], why: 'idle for T203: poll (§5.6.7)' },
  { state: 'established', input: { kind: 't200' }, from: established(withUnacked), to: 'timerRecovery', does: ['tx RR P/F', 'startT200'], why: 'T200: timer recovery, poll' },
  { state: 'timerRecovery', input: { kind: 'send', info: INFO }, to: 'timerRecovery', does: [], why: 'no new I-frames while polling' },
  { state: 'timerRecovery', input: { kind: 'release' }, to: 'releasing', does: ['tx DISC P/F', 'stopT203', 'startT200'], why: 'DISC P=1' },
  { state: 'timerRecovery', input: net(false, { format: 'S', type: 'RR', nr: 0, pf: true }), from: vars('timerRecovery', withUnacked), to: 'established', does: ['stopT200', 'tx I0 again', 'stopT203', 'startT200'], why: 'the answer to our poll: back, resending from N(R)' },
  { state: 'timerRecovery', input: { kind: 't200' }, from: vars('timerRecovery', { rc: 3 }), to: 'establishing', does: ['error I', 'linkReset us', 'tx SABME P/F', 'stopT203', 'startT200'], why: 'N200 polls unanswered: re-establish (MDL I)' },
];

describe('LAPD_TABLE, row by row', () => {
  it.each(CASES.map((c) => [`${c.state} + ${c.input.kind === 'frame' ? `frame ${c.input.frame.format === 'U' ? c.input.frame.type : c.input.frame.format}` : c.input.kind}: ${c.why}`, c] as const))('%s', (_, c) => {
    const r = lapdStep(c.from ?? vars(c.state), c.input, LAPD_DEFAULTS);
    expect(r.handled).toBe(true);
    expect(r.vars.state).toBe(c.to);
    expect(r.actions.map(word)).toEqual(c.does);
  });

  it('pins every row the table has', () => {
    const rows = Object.entries(LAPD_TABLE).flatMap(([state, row]) => Object.keys(row).map((kind) => `${state}/${kind}`));
    const pinned = new Set(CASES.map((c) => `${c.state}/${c.input.kind}`));
    expect(rows.filter((r) => !pinned.has(r))).toEqual([]);
  });
});

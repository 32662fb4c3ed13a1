import { parseUrc } from '../messages/urcTable.ts';
import type { SplitMode } from '../session/testing.ts';
import { accountLines, type LineAccount } from './lineAccounting.ts';
import { replayCase, type ReplayRun } from './replayHarness.ts';
import type { ReplayCase } from './traceCases.ts';

/** One case replayed every way, and the accounting of its whole-stream run. */
export interface CaseResult {
  c: ReplayCase;
  /** whole, bytes, random split: in that order. */
  runs: ReplayRun[];
  account: LineAccount;
}

/** The three ways of gsm-modems.md §10: whole, byte by byte, and a random split seeded from the case id (reproducible). */
export function splitModesFor(c: ReplayCase): SplitMode[] {
  return ['whole', 'bytes', { seed: fnv1a(c.id) }];
}

export async function replayAllWays(c: ReplayCase): Promise<CaseResult> {
  const runs: ReplayRun[] = [];
  for (const mode of splitModesFor(c)) runs.push(await replayCase(c, mode));
  const first = runs[0]!; // splitModesFor always gives three modes
  return { c, runs, account: accountLines(first) };
}

/**
 * Per-file counts of a replay, so a silent loss or a change of routing
 * shows as a diff: cases by kind, decoded lines by where they went, command
 * outcomes by reason, URCs by parsed kind (`unknown` when the URC table does
 * not know the line, `malformed` when it does but parseUrc gives null).
 */
export type Tally = Record<string, number>;

export function tally(results: readonly CaseResult[]): Tally {
  const t: Tally = {};
  const add = (key: string, n = 1) => {
    if (n !== 0) t[key] = (t[key] ?? 0) + n;
  };
  for (const { c, runs, account: a } of results) {
    const run = runs[0]!;
    add(c.tx === null ? 'case:unsolicited' : c.echoLines > 0 ? 'case:dump' : 'case:exchange');
    add('lines', run.lines.length);
    add('line:echo', a.echo.length);
    add('line:response', a.response.length);
    add('line:final', a.final.length);
    add('line:urc', a.urc.length);
    add('line:stray', a.stray.length);
    add('line:lost', a.lost.length);
    add('line:extra', a.extra.length);
    const o = run.outcome;
    if (o.status === 'resolved') add('outcome:resolved');
    else if (o.status === 'rejected') add(`outcome:${o.reason}`);
    else if (o.status !== 'noCommand') add(`outcome:${o.status}`);
    for (const u of run.urcs) add(`urc:${u.known ? (parseUrc(u.line, u.trailing)?.kind ?? 'malformed') : 'unknown'}`);
  }
  return Object.fromEntries(Object.entries(t).sort(([x], [y]) => x.localeCompare(y)));
}

/** 32-bit FNV-1a of a string: a stable seed per case. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

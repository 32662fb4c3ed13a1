import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GatewayEvent, StoredEvent } from '../events.ts';
import { formatQueueLog, QueueLogState } from './formatQueueLog.ts';
import { parseQueueLog, parseQueueLogDbRow, parseQueueLogLine, serializeQueueLogRecord, type QueueLogRecord } from './parseQueueLog.ts';

const FIXTURE = readFileSync(new URL('../../test/fixtures/queue_log-samples.txt', import.meta.url), 'utf8');

/**
 * Sort the fixture's lines as its notes describe: '#' lines are comments,
 * except the '# REJOINED' forms of wrapped lines ("# <time>|…"); a line
 * starting with '|' is the tail of a line the publisher's page wrapped, and
 * the line before it the wrapped head (both skipped, the REJOINED form is
 * used); rows with a 'YYYY-MM-DD hh:mm:ss' first cell are the database form.
 */
function classify(text: string): { file: string[]; db: string[]; skipped: string[] } {
  const out = { file: [] as string[], db: [] as string[], skipped: [] as string[] };
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const rejoined = /^# (\d+\|.*)$/.exec(line);
      if (rejoined?.[1] !== undefined) out.file.push(rejoined[1]);
      return;
    }
    if (line.startsWith('|') || lines[i + 1]?.startsWith('|') === true) out.skipped.push(line);
    else if (/^\s*\|?\s*\d{4}-\d{2}-\d{2} \d{2}:/.test(line)) out.db.push(line);
    else out.file.push(line);
  });
  return out;
}

describe('published queue_log samples (test/fixtures/queue_log-samples.txt)', () => {
  const { file, db, skipped } = classify(FIXTURE);

  it('finds every sample: 13 file-form lines (2 re-joined), 20 database rows, 4 wrapped halves skipped', () => {
    expect(file).toHaveLength(13);
    expect(db).toHaveLength(20);
    expect(skipped).toHaveLength(4);
  });

  it('parses every file-form line and writes it back byte for byte', () => {
    for (const line of file) {
      const rec = parseQueueLogLine(line);
      expect(rec, line).not.toBeNull();
      expect(serializeQueueLogRecord(rec as QueueLogRecord)).toBe(line);
    }
  });

  it('reads the fields with their documented meaning', () => {
    expect(parseQueueLogLine('1366720340|1366720340.303267|MYQUEUE|SIP/8007|RINGNOANSWER|1000')).toEqual({
      time: 1366720340,
      callid: '1366720340.303267',
      queue: 'MYQUEUE',
      agent: 'SIP/8007',
      event: 'RINGNOANSWER',
      data: ['1000'],
    });
    const byEvent = (ev: string): QueueLogRecord[] => file.map((l) => parseQueueLogLine(l)).filter((r): r is QueueLogRecord => r?.event === ev);
    expect(byEvent('ENTERQUEUE')[0]?.data).toEqual(['', '4165551212', '1']);
    expect(byEvent('CONNECT').map((r) => r.data)).toEqual([['2', 'psy1-1292281046.90', '0'], ['2', 'psy1-1292284519.96', '0'], ['4']]);
    expect(byEvent('COMPLETECALLER')[0]?.data).toEqual(['2', '3073', '1']);
    expect(byEvent('REMOVEMEMBER')[0]).toMatchObject({ callid: 'MANAGER', queue: '7100', agent: 'Local/9990@MemberConnector', data: [''] });
  });

  it('parses every database-form row, including verbs stock Asterisk never writes', () => {
    const recs = db.map((row) => parseQueueLogDbRow(row));
    for (const [i, r] of recs.entries()) expect(r, db[i]).not.toBeNull();
    const ok = recs.filter((r): r is QueueLogRecord => r !== null);
    expect(ok.map((r) => r.event)).toEqual([
      'AGENTCALLBACKLOGIN', 'UNPAUSE', 'UNPAUSE', 'UNPAUSEALL', 'AGENTCALLBACKLOGOFF', 'JOINEMPTY', 'CONNECT', 'ENTERQUEUE',
      'COMPLETEAGENT', 'FULL', 'CLOSED', 'ABANDON',
      'COMPLETECALLER', 'CONNECT', 'ENTERQUEUE', 'TRANSFER', 'CONNECT', 'ENTERQUEUE', 'AGENTLOGIN', 'AGENTLOGOFF',
    ]);
    expect(ok[11]).toMatchObject({ callid: '1341402586.51', queue: 'q1', agent: 'NONE', data: ['1', '1', '6'] });
    expect(ok[7]?.data).toEqual(['', '1000', '1']);
    expect(ok[15]?.data).toEqual(['s', 'user', '1', '9', '1']);
    expect(ok[19]).toMatchObject({ callid: 'login_time_3', agent: 'Agent/4', data: ['SIP/aaaaa-00000001', '30', 'CommandLogoff'] });
    // The row has no zone; read as UTC, microseconds kept.
    expect(ok[0]?.time).toBeCloseTo(Date.UTC(2012, 6, 3, 15, 27, 23) / 1000 + 0.896208, 6);
  });
});

describe('tolerance', () => {
  it('accepts unknown verbs as ordinary records', () => {
    expect(parseQueueLogLine('1700000000|cb1|sales|NONE|CALLBACKATTEMPT|1|noAnswer|')).toMatchObject({ event: 'CALLBACKATTEMPT', data: ['1', 'noAnswer', ''] });
    expect(parseQueueLogLine('1700000000|NONE|NONE|NONE|QUEUESTART')).toMatchObject({ event: 'QUEUESTART', data: [] });
  });

  it('rejects what is not a record, without throwing', () => {
    const res = parseQueueLog('|psy1-1292281046.90|0\nnot a line\n\n1|a|b|c|\n1|a|b|c|OK|x\n');
    expect(res.records).toHaveLength(1);
    expect(res.rejected.map((r) => r.lineNo)).toEqual([1, 2, 4]);
    expect(parseQueueLogDbRow('| not | a | row |')).toBeNull();
  });
});

describe('round trip of ccgate lines', () => {
  const at = 1_767_600_000_000;
  const events: GatewayEvent[] = [
    { type: 'agentLoggedIn', at, agent: 'a1', queues: ['sales'] },
    { type: 'queueEntered', at: at + 1000, callId: 'c1', queue: 'sales', callerNumber: '09121234567', position: 1, priority: 0, joinedAt: at + 1000, kind: 'inbound' },
    { type: 'agentRingNoAnswer', at: at + 16_000, callId: 'c1', queue: 'sales', agent: 'a1', ringMs: 15_000 },
    { type: 'queueConnected', at: at + 25_000, callId: 'c1', queue: 'sales', agent: 'a1', waitMs: 24_000, ringMs: 3_000, kind: 'inbound' },
    { type: 'queueCompleted', at: at + 205_000, callId: 'c1', queue: 'sales', agent: 'a1', by: 'agent', dropped: false, waitMs: 24_000, talkMs: 180_000, origPosition: 1 },
    { type: 'queueEntered', at: at + 2000, callId: 'c2', queue: 'sales', callerNumber: '', position: 2, priority: 0, joinedAt: at + 2000, kind: 'inbound' },
    { type: 'queueExited', at: at + 9000, callId: 'c2', queue: 'sales', reason: 'abandon', position: 1, origPosition: 2, waitMs: 7000 },
    { type: 'queueEntered', at: at + 3000, callId: 'c3', queue: 'sales', callerNumber: '0935', position: 3, priority: 0, joinedAt: at + 3000, kind: 'inbound' },
    { type: 'queueExited', at: at + 50_000, callId: 'c3', queue: 'sales', reason: 'key', key: '1', position: 1, origPosition: 3, waitMs: 47_000 },
    { type: 'agentPaused', at: at + 300_000, agent: 'a1', reason: 'Break', auto: false },
    { type: 'agentLoggedOut', at: at + 400_000, agent: 'a1', sessionMs: 400_000 },
  ];

  it('parses every line formatQueueLog writes back to the same fields and bytes', () => {
    const state = new QueueLogState();
    const lines = events.flatMap((ev, i) => {
      const stored: StoredEvent = { ...ev, seq: i + 1 };
      const out = formatQueueLog(stored, state);
      state.observe(stored);
      return out;
    });
    expect(lines).toHaveLength(14);
    const { records, rejected } = parseQueueLog(lines.join('\n'));
    expect(rejected).toEqual([]);
    expect(records.map(serializeQueueLogRecord)).toEqual(lines);
    // Asternic-lite reading: answered = COMPLETE*, unanswered = ABANDON + EXITWITHTIMEOUT;
    // and exactly one exit verb per ENTERQUEUE.
    const verbs = records.map((r) => r.event);
    const exits = new Set(['COMPLETECALLER', 'COMPLETEAGENT', 'ABANDON', 'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY']);
    for (const id of ['c1', 'c2', 'c3']) {
      expect(records.filter((r) => r.callid === id && r.event === 'ENTERQUEUE')).toHaveLength(1);
      expect(records.filter((r) => r.callid === id && exits.has(r.event))).toHaveLength(1);
    }
    expect(verbs.filter((v) => v === 'COMPLETECALLER' || v === 'COMPLETEAGENT')).toHaveLength(1);
    expect(verbs.filter((v) => v === 'ABANDON' || v === 'EXITWITHTIMEOUT')).toHaveLength(1);
    expect(records.find((r) => r.event === 'CONNECT')?.data).toEqual(['24', 'c1-agent', '3']);
  });
});

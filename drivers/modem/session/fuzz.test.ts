import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../gateway/core/Random.ts';
import { AtLineDecoder } from '../framing/AtLineDecoder.ts';
import type { AtFrame } from '../framing/AtFrame.ts';
import { latin1Encode } from '../framing/latin1.ts';
import { allCases, traceFiles } from '../replay/traceCases.ts';
import type { AtCommand } from './AtCommand.ts';
import { isAtCommandError } from './AtCommandError.ts';
import { DEFAULT_AT_TIMEOUTS } from './timeouts.ts';
import { advance, createHarness, split, track } from './testing.ts';

/**
 * Property test: random byte streams mixed with real AT fragments never make
 * the decoder or the session throw, the decoder's output does not depend on
 * chunking, and a command in flight always settles within its time budget
 * with no timer left behind. Then the recorded traces of
 * test/fixtures/at-traces/, mutated, through one long-lived session per
 * trace file: structure holds (decoder buffer within its limit, nothing
 * pending grows, no command stuck). Seeded, so a failure replays.
 */

const FRAGMENTS = [
  'OK\r\n', '\r\nOK\r\n', '+CSQ: 1,2', '+CSQ: 1,2\r\n', 'RING', 'RING\r\n', '> ', '\r\r\n', '\0', '\r\n', '\n', '\r',
  'ERROR\r\n', '+CME ERROR: 14\r\n', '+CMS ERROR: 500\r\n', '+CMT: ,5\r\n', 'NO CARRIER\r\n', 'BUSY\r\n', 'AT+CSQ\r',
  '+CMGS: 4\r\n', '+CMGR: 0,,5\r\n', '\x1b', '\x1a', '^RSSI:3\r\n', 'CONNECT 9600\r\n',
];

function stream(rnd: SeededRandom, maxParts: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const n = 1 + Math.floor(rnd.next() * maxParts);
  for (let i = 0; i < n; i++) {
    if (rnd.next() < 0.35) parts.push(Uint8Array.from({ length: 1 + Math.floor(rnd.next() * 24) }, () => Math.floor(rnd.next() * 256)));
    else parts.push(latin1Encode(FRAGMENTS[Math.floor(rnd.next() * FRAGMENTS.length)]!));
  }
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

function key(frames: AtFrame[]): string {
  return frames.map((f) => (f.kind === 'line' ? `L:${f.text}` : f.kind === 'prompt' ? 'P' : `D:${f.reason}:${Buffer.from(f.bytes).toString('hex')}`)).join('|');
}

describe('AT fuzz', () => {
  it('decoder: 100,000 random streams, no throw, valid frames, chunking-independent', () => {
    const rnd = new SeededRandom(2026);
    for (let i = 0; i < 100_000; i++) {
      const bytes = stream(rnd, 12);
      const expectPrompt = rnd.next() < 0.5;
      const maxLineBytes = rnd.next() < 0.1 ? 8 : 4096;
      const whole = new AtLineDecoder({ maxLineBytes });
      whole.expectPrompt = expectPrompt;
      const a = whole.push(bytes);
      const parts = new AtLineDecoder({ maxLineBytes });
      parts.expectPrompt = expectPrompt;
      const b = split(bytes, { seed: i }, rnd).flatMap((c) => parts.push(c));
      if (key(a) !== key(b)) expect(key(b), `stream #${i} ${Buffer.from(bytes).toString('hex')}`).toBe(key(a));
      for (const f of a) {
        if (f.kind === 'line' && (f.text === '' || /[\r\n\0]/.test(f.text))) expect.fail(`bad line ${JSON.stringify(f.text)} in #${i}`);
        if (f.kind === 'discarded' && (f.bytes.length === 0 || f.bytes.length > maxLineBytes)) expect.fail(`bad discarded item in #${i}`);
        if (f.kind === 'prompt' && !expectPrompt) expect.fail(`prompt while not expected in #${i}`);
      }
    }
  });

  const COMMANDS: Array<{ cmd: AtCommand; budgetMs: number }> = [
    { cmd: { text: 'AT+CSQ', expect: ['+CSQ:'], timeout: 'quick' }, budgetMs: DEFAULT_AT_TIMEOUTS.quick },
    { cmd: { text: 'ATI', expect: 'any', timeout: 'quick' }, budgetMs: DEFAULT_AT_TIMEOUTS.quick },
    { cmd: { text: 'AT+CMGR=1', expect: ['+CMGR:'], bodyLines: 1, timeout: 'normal' }, budgetMs: DEFAULT_AT_TIMEOUTS.normal },
    { cmd: { text: 'ATD123;', finals: 'dial', timeout: 'dial' }, budgetMs: DEFAULT_AT_TIMEOUTS.dial },
    { cmd: { text: 'AT+CPIN?', expect: ['+CPIN:'], completesOn: ['+CPIN:'], timeout: 'normal' }, budgetMs: DEFAULT_AT_TIMEOUTS.normal },
    { cmd: { text: 'AT+CMGS=5', expect: ['+CMGS:'], payload: '00AB', timeout: 'normal' }, budgetMs: DEFAULT_AT_TIMEOUTS.promptWait + DEFAULT_AT_TIMEOUTS.smsBody },
    // Retryable: up to 3 retries, each preceded by a resync (quick + quiet) and a back-off.
    {
      cmd: { text: 'AT+CSCA?', expect: ['+CSCA:'], timeout: 'quick', retryable: true },
      budgetMs: 4 * DEFAULT_AT_TIMEOUTS.quick + 3 * (DEFAULT_AT_TIMEOUTS.quick + DEFAULT_AT_TIMEOUTS.resyncQuiet) + 7 * DEFAULT_AT_TIMEOUTS.retryBackoff,
    },
  ];

  it('session: 100,000 random DCE streams against a command in flight: settles within budget, no timer leaks', { timeout: 240_000 }, async () => {
    const rnd = new SeededRandom(77);
    const outcomes = { resolved: 0, rejected: 0 };
    for (let i = 0; i < 100_000; i++) {
      const { cmd, budgetMs } = COMMANDS[i % COMMANDS.length]!;
      const h = createHarness({ seed: i + 1 });
      const reply = Buffer.from(stream(rnd, 10)).toString('latin1');
      h.transport.onHostWrite(() => {
        if (rnd.next() < 0.7) h.deliver(reply);
      });
      const start = h.clock.now();
      let settledAt = -1;
      const p = h.session.send(cmd);
      const r = track(p);
      p.then(
        () => (settledAt = h.clock.now()),
        () => (settledAt = h.clock.now()),
      );
      await advance(h.clock, budgetMs + 60_000);
      if (r.result.status === 'pending') expect.fail(`#${i} ${cmd.text} never settled; reply ${JSON.stringify(reply)}`);
      if (settledAt - start > budgetMs) expect.fail(`#${i} ${cmd.text} settled after ${settledAt - start} ms > ${budgetMs}`);
      if (r.result.status === 'rejected' && !isAtCommandError(r.result.error)) expect.fail(`#${i} rejected with ${String(r.result.error)}`);
      outcomes[r.result.status]++;
      // Whatever state it is in (resync, paused), close() leaves nothing behind.
      await h.session.close();
      await advance(h.clock, 1);
      if (h.clock.pendingCount !== 0) expect.fail(`#${i} timers left: ${h.clock.pendingTimers().join(',')}`);
      if (h.transport.violations.length) expect.fail(`#${i} ${h.transport.violations.join(';')}`);
    }
    // Every stream ended one way or the other, and both ways occur (the generator is not degenerate).
    expect(outcomes.resolved + outcomes.rejected).toBe(100_000);
    expect(outcomes.resolved).toBeGreaterThan(1_000);
    expect(outcomes.rejected).toBeGreaterThan(1_000);
  });

  it('session: 2,000 random DCE streams give the same events, writes and result whole, byte by byte and randomly split', async () => {
    const rnd = new SeededRandom(4242);
    let compared = 0;
    for (let i = 0; i < 2_000; i++) {
      const { cmd, budgetMs } = COMMANDS[i % COMMANDS.length]!;
      const replies = [0, 1, 2, 3].map(() => Buffer.from(stream(rnd, 8)).toString('latin1'));
      const run = async (mode: 'whole' | 'bytes' | { seed: number }) => {
        const h = createHarness(mode);
        let n = 0;
        h.transport.onHostWrite(() => h.deliver(replies[n++ % replies.length]!));
        const r = track(h.session.send(cmd));
        await advance(h.clock, budgetMs + 10_000);
        const result = r.result.status === 'rejected' && isAtCommandError(r.result.error) ? r.result.error.reason : r.result;
        return JSON.stringify({ result, events: h.events, written: h.transport.writtenText, paused: h.session.isPaused });
      };
      const whole = await run('whole');
      for (const mode of ['bytes', { seed: i + 1 }] as const) {
        const other = await run(mode);
        if (other !== whole) expect(other, `#${i} ${JSON.stringify(mode)} replies ${JSON.stringify(replies)}`).toBe(whole);
        compared++;
      }
    }
    expect(compared).toBe(4_000);
  });

  it('session: the recorded traces, mutated, through one session per trace file: buffer bounded, nothing pending grows, no command stuck', async () => {
    const rnd = new SeededRandom(909);
    const maxLineBytes = 256;
    const pool = traceFiles().flatMap((f) => allCases(f).map((c) => c.rx.filter((x): x is string => typeof x === 'string').join('')));
    const tally = { resolved: 0, rejected: 0, paused: 0, urcOwedLeft: 0 };
    for (const [fileNo, file] of traceFiles().entries()) {
      const decoder = new AtLineDecoder({ maxLineBytes });
      const h = createHarness({ seed: fileNo + 1 }, { decoder, answerMarkers: true });
      let next: string | null = null;
      let writtenAt = -1;
      h.transport.onHostWrite((_, text) => {
        // The resync's AT is mostly answered (else the queue pauses: resumed below); the marker by the
        // harness. The command gets the mutated trace.
        if (text === 'AT\r') return rnd.next() < 0.9 ? h.deliver('\r\nOK\r\n') : undefined;
        if (/^ATS\d+=/.test(text) || next === null) return;
        writtenAt = h.clock.now();
        h.deliver(next);
        next = null;
      });
      for (const c of allCases(file)) {
        for (let m = 0; m < 4; m++) {
          const stream = mutate(c.rx.filter((x): x is string => typeof x === 'string').join(''), rnd, pool);
          const cmd = c.tx === null ? null : commandFor(c.tx);
          const where = `${c.id} mutation #${m} ${JSON.stringify(stream)}`;
          if (cmd === null) {
            // Output that answers no command: straight in, as URCs and strays.
            h.deliver(stream);
            await advance(h.clock, 10);
          } else {
            next = stream;
            writtenAt = -1;
            let settledAt = -1;
            const p = h.session.send(cmd);
            const r = track(p);
            p.then(
              () => (settledAt = h.clock.now()),
              () => (settledAt = h.clock.now()),
            );
            await advance(h.clock, 12_000);
            // A resync whose AT went unanswered paused the queue: the health layer would probe or resume.
            for (let k = 0; k < 5 && r.result.status === 'pending' && h.session.isPaused; k++) {
              tally.paused++;
              h.session.resume();
              await advance(h.clock, 12_000);
            }
            if (r.result.status === 'pending') expect.fail(`${where}: stuck`);
            tally[r.result.status]++;
            if (r.result.status === 'rejected' && !isAtCommandError(r.result.error)) expect.fail(`${where}: ${String(r.result.error)}`);
            if (writtenAt >= 0 && settledAt - writtenAt > DEFAULT_AT_TIMEOUTS.quick) expect.fail(`${where}: settled ${settledAt - writtenAt} ms after its write`);
          }
          if (decoder.buffered > maxLineBytes) expect.fail(`${where}: decoder holds ${decoder.buffered} bytes`);
          const pending = h.session.pending();
          if (pending.queued !== 0 || pending.inFlight !== null || pending.sleeps !== 0 || pending.urcLinesOwed > 1 || h.clock.pendingCount !== 0) {
            expect.fail(`${where}: left ${JSON.stringify(pending)}, timers ${h.clock.pendingTimers().join(',')}`);
          }
          if (pending.urcLinesOwed > 0) tally.urcOwedLeft++;
          if (h.session.isPaused) {
            tally.paused++;
            h.session.resume();
          }
        }
      }
      await h.session.close();
      expect(h.transport.violations).toEqual([]);
    }
    // The mutations reach every path: answers, failures, paused resyncs, a +CMT left waiting for its PDU.
    expect(tally.resolved).toBeGreaterThan(100);
    expect(tally.rejected).toBeGreaterThan(100);
    expect(tally.paused).toBeGreaterThan(0);
    expect(tally.urcOwedLeft).toBeGreaterThan(0);
  });
});

/** The command a trace case answers: its text, and the prefix of its information lines (or 'any' for ATI-like answers). */
function commandFor(tx: string): AtCommand | null {
  const text = tx.replace(/\r$/, '');
  if (!/^AT[\x20-\x7e]*$/i.test(text)) return null;
  const name = /^AT([+^$%#*][A-Z0-9]+)/i.exec(text)?.[1];
  const bodyLines = /^\+CMG[RL]$/i.test(name ?? '') ? { bodyLines: 1 } : {};
  return { text, expect: name ? [`${name.toUpperCase()}:`] : 'any', timeout: 'quick', ...bodyLines };
}

/** One to three mutations of a recorded stream (latin1 text): the damage a bad line, a bad firmware or a bad cable does. */
function mutate(s: string, rnd: SeededRandom, pool: readonly string[]): string {
  const at = (t: string) => Math.floor(rnd.next() * (t.length + 1));
  const byte = (lo: number, hi: number) => String.fromCharCode(lo + Math.floor(rnd.next() * (hi - lo + 1)));
  const ops: Array<(t: string) => string> = [
    (t) => { const i = at(t); return t.slice(0, i) + byte(0, 255) + t.slice(i + 1); }, // flip a byte
    (t) => { const i = at(t); return t.slice(0, i) + byte(0, 31) + t.slice(i); }, // a control byte
    (t) => { const i = at(t); return t.slice(0, i) + t.slice(i + 1); }, // a lost byte
    (t) => { const i = at(t); const j = at(t); return t.slice(0, Math.max(i, j)) + t.slice(Math.min(i, j)); }, // a repeated run
    (t) => t.slice(0, at(t)), // cut short
    (t) => { const i = at(t); return t.slice(0, i) + '\r\n' + t.slice(i); }, // a line split
    (t) => { const o = pool[Math.floor(rnd.next() * pool.length)] ?? ''; const i = at(t); return t.slice(0, i) + o.slice(0, at(o)) + t.slice(i); }, // another trace spliced in
    (t) => { const i = at(t); return t.slice(0, i) + 'A'.repeat(300 + Math.floor(rnd.next() * 5_000)) + t.slice(i); }, // an overlong line
    (t) => t.replace(/OK\r\n/, rnd.next() < 0.5 ? 'ERROR\r\n' : ''), // the final changed or gone
    (t) => { const i = at(t); return t.slice(0, i) + '> ' + t.slice(i); }, // a stray prompt
    (t) => `${t}\r\n+CMT: ,23\r\n`, // a two-line URC cut after its header
  ];
  let out = s;
  const n = 1 + Math.floor(rnd.next() * 3);
  for (let k = 0; k < n; k++) out = ops[Math.floor(rnd.next() * ops.length)]!(out);
  return out;
}

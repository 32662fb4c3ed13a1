import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../gateway/core/Random.ts';
import { AtLineDecoder } from '../framing/AtLineDecoder.ts';
import type { AtFrame } from '../framing/AtFrame.ts';
import { latin1Encode } from '../framing/latin1.ts';
import type { AtCommand } from './AtCommand.ts';
import { isAtCommandError } from './AtCommandError.ts';
import { DEFAULT_AT_TIMEOUTS } from './timeouts.ts';
import { advance, createHarness, split, track } from './testing.ts';

/**
 * Property test: random byte streams mixed with real AT fragments never make
 * the decoder or the session throw, the decoder's output does not depend on
 * chunking, and a command in flight always settles within its time budget
 * with no timer left behind. Seeded, so a failure replays.
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
});

import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../gateway/core/Clock.ts';
import { CcgateError } from '../../../gateway/core/errors.ts';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import type { AtCommand } from '../session/AtCommand.ts';
import { PtyPair } from '../../serial/PtyPair.ts';
import type { ByteTransport, ByteTransportEvents } from '../../serial/ByteTransport.ts';
import { SerialTransport } from '../../serial/SerialTransport.ts';
import { PCM_COMMANDS, PCM_FRAME_BYTES, PcmStreamAudio, type PcmStreamAudioOptions } from './PcmStreamAudio.ts';
import { PromptCatalog } from './PromptCatalog.ts';
import { advanceSettled as advance, settle as flush } from '../testing/fakeTime.ts';


/** 8 kHz 16-bit LE mono sine, `ms` long. */
function sine(ms: number, hz = 440): Uint8Array {
  const samples = (8_000 * ms) / 1_000;
  const buf = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) buf.writeInt16LE(Math.round(12_000 * Math.sin((2 * Math.PI * hz * i) / 8_000)), i * 2);
  return new Uint8Array(buf);
}

/** In-process audio tty: records each write with the virtual time. */
class RecordingTransport extends EventEmitter<ByteTransportEvents> implements ByteTransport {
  isOpen = false;
  writes: Array<{ at: number; bytes: Uint8Array }> = [];
  constructor(private readonly clock: FakeClock, private readonly failOpen = false) {
    super();
  }
  async open(): Promise<void> {
    if (this.failOpen) throw new CcgateError('SERIAL_OPEN_FAILED', 'no such tty');
    this.isOpen = true;
  }
  async write(bytes: Uint8Array): Promise<void> {
    this.writes.push({ at: this.clock.now(), bytes: new Uint8Array(bytes) });
  }
  async close(): Promise<void> {
    this.isOpen = false;
  }
}

function fakeSetup(clips: Record<string, Uint8Array>, extra: Partial<PcmStreamAudioOptions> & { failOpen?: boolean } = {}) {
  const clock = new FakeClock();
  const { logger, records } = capturingLogger();
  const sent: string[] = [];
  const tty = new RecordingTransport(clock, extra.failOpen);
  const audio = new PcmStreamAudio({
    openTransport: () => tty,
    dir: '/unused',
    commands: 'sim7600',
    send: async (cmd: AtCommand) => {
      sent.push(cmd.text);
      return { lines: [] };
    },
    catalog: new PromptCatalog(),
    clock,
    logger,
    readClip: async (id) => clips[id] ?? null,
    ...extra,
  });
  return { clock, records, sent, tty, audio };
}

describe('PcmStreamAudio on a FakeClock', () => {
  it('paces 20 ms frames with a 3-frame lead and resolves when the last frame played out', async () => {
    const pcm = sine(200); // 10 frames
    const { clock, sent, tty, audio } = fakeSetup({ welcome: pcm });
    await audio.start(1);
    expect(sent).toEqual(['AT+CPCMREG=1']);
    const t0 = clock.now();
    let finished = false;
    const p = audio.play({ id: 'welcome' }, new AbortController().signal).then(() => (finished = true));
    await flush();
    expect(tty.writes).toHaveLength(4); // frames 0–3 at once: the playing one plus a 60 ms lead
    await advance(clock, 19);
    expect(tty.writes).toHaveLength(4);
    await advance(clock, 1);
    expect(tty.writes).toHaveLength(5);
    await advance(clock, 100);
    expect(tty.writes.map((w) => w.at - t0)).toEqual([0, 0, 0, 0, 20, 40, 60, 80, 100, 120]);
    expect(finished).toBe(false);
    await advance(clock, 79);
    expect(finished).toBe(false);
    await advance(clock, 1); // 10 frames × 20 ms
    expect(finished).toBe(true);
    await p;
    expect(Buffer.concat(tty.writes.map((w) => w.bytes))).toEqual(Buffer.from(pcm));
    await audio.end();
    expect(sent).toEqual(['AT+CPCMREG=1', 'AT+CPCMREG=0']);
    expect(tty.isOpen).toBe(false);
    expect(clock.pendingCount).toBe(0);
  });

  it('abort stops writing at once and resolves', async () => {
    const { clock, tty, audio } = fakeSetup({ welcome: sine(400) });
    await audio.start(1);
    const ac = new AbortController();
    const p = audio.play({ id: 'welcome' }, ac.signal);
    await advance(clock, 50);
    const written = tty.writes.length;
    expect(written).toBe(6);
    ac.abort();
    await p;
    await advance(clock, 1_000);
    expect(tty.writes).toHaveLength(written);
    expect(clock.pendingCount).toBe(0);
  });

  it('skips a missing clip (logged), pads the last frame with silence, and continues the timeline across clips', async () => {
    const odd = sine(30).subarray(0, 401); // 1 full frame + 81 bytes (half a sample too)
    const { clock, records, tty, audio } = fakeSetup({ welcome: odd, 'digit-7': sine(20) });
    await audio.start(3);
    const p = audio.play({ id: 'welcome', say: [{ kind: 'digits', value: '57' }] }, new AbortController().signal);
    await advance(clock, 1_000);
    await p;
    expect(records.filter((r) => r.msg === 'PCM clip missing; skipped').map((r) => r['clip'])).toEqual(['digit-5']);
    expect(tty.writes.map((w) => w.bytes.length)).toEqual([PCM_FRAME_BYTES, PCM_FRAME_BYTES, PCM_FRAME_BYTES]);
    const second = tty.writes[1]!.bytes;
    expect(Buffer.from(second.subarray(0, 81))).toEqual(Buffer.from(odd.subarray(320)));
    expect(second.subarray(81).every((b) => b === 0)).toBe(true);
  });

  it('without an audio tty (open failed), start logs and play still takes the nominal time', async () => {
    const { clock, records, tty, audio } = fakeSetup({}, { failOpen: true, commands: PCM_COMMANDS.huawei });
    await audio.start(1);
    expect(records.some((r) => r.msg === 'cannot open the audio tty; prompts will be silent')).toBe(true);
    let finished = false;
    const p = audio.play({ id: 'welcome' }, new AbortController().signal).then(() => (finished = true));
    await advance(clock, 1_999);
    expect(finished).toBe(false);
    await advance(clock, 1);
    await p;
    expect(finished).toBe(true);
    expect(tty.writes).toHaveLength(0);
  });
});

describe('PcmStreamAudio: received audio (onPcm)', () => {
  it('hands the caller audio on in whole samples from start() to end(), while prompts play as before', async () => {
    const got: Uint8Array[] = [];
    const pcm = sine(200);
    const { clock, tty, audio } = fakeSetup({ welcome: pcm }, { onPcm: (c) => got.push(new Uint8Array(c)) });
    tty.emit('data', Uint8Array.of(1, 2)); // before start: not ours
    await audio.start(1);
    const p = audio.play({ id: 'welcome' }, new AbortController().signal);
    // The OS splits reads anywhere: 3 + 1 + 5 + 3 bytes come out as samples only.
    for (const chunk of [[1, 2, 3], [4], [5, 6, 7, 8, 9], [10, 11, 12]]) tty.emit('data', Uint8Array.from(chunk));
    await advance(clock, 300);
    await p;
    expect(got.map((c) => [...c])).toEqual([[1, 2], [3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    expect(Buffer.concat(tty.writes.map((w) => w.bytes))).toEqual(Buffer.from(pcm));
    tty.emit('data', Uint8Array.of(13)); // an odd byte left over at the end of the call…
    await audio.end();
    tty.emit('data', Uint8Array.of(14, 15)); // …and after end(): nothing more is delivered
    await audio.start(1); // the next call is a new stream: the stale odd byte is gone
    tty.emit('data', Uint8Array.of(20, 21));
    expect(got.slice(4).map((c) => [...c])).toEqual([[20, 21]]);
    expect(tty.listenerCount('data')).toBe(1);
    await audio.end();
    expect(tty.listenerCount('data')).toBe(0);
  });

  it('a throwing consumer is logged, and the tty and playback carry on', async () => {
    const { records, tty, audio } = fakeSetup({}, {
      onPcm: () => {
        throw new CcgateError('AT_ERROR', 'consumer bug');
      },
    });
    await audio.start(1);
    expect(() => tty.emit('data', new Uint8Array(4))).not.toThrow();
    expect(records.filter((r) => r.msg === 'received-audio consumer failed; chunk dropped')).toHaveLength(1);
    expect(tty.isOpen).toBe(true);
    await audio.end();
  });

  it('without onPcm nothing listens to the tty', async () => {
    const { tty, audio } = fakeSetup({});
    await audio.start(1);
    expect(tty.listenerCount('data')).toBe(0);
    await audio.end();
  });
});

describe('PcmStreamAudio over a real PTY', () => {
  let pair: PtyPair | null = null;
  let dir: string | null = null;
  afterEach(async () => {
    await pair?.close();
    pair = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the far end receives exactly the clip bytes, in order', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ccgate-pcm-'));
    const welcome = sine(200, 440);
    const digit = sine(100, 1_000);
    writeFileSync(join(dir, 'welcome.pcm'), welcome);
    writeFileSync(join(dir, 'digit-4.pcm'), digit);
    pair = await PtyPair.open();
    const modemSide = new SerialTransport({ path: pair.devicePath });
    await modemSide.open();
    const chunks: Buffer[] = [];
    modemSide.on('data', (d) => chunks.push(Buffer.from(d)));
    const clock = new SystemClock();
    const sent: string[] = [];
    const audio = new PcmStreamAudio({
      openTransport: () => new SerialTransport({ path: pair!.hostPath }),
      dir,
      commands: 'quectel',
      send: async (cmd) => {
        sent.push(cmd.text);
        return { lines: [] };
      },
      catalog: new PromptCatalog(),
      clock,
      logger: capturingLogger().logger,
    });
    await audio.start(1);
    const started = performance.now();
    await audio.play({ id: 'welcome', say: [{ kind: 'digits', value: '4' }] }, new AbortController().signal);
    // 15 frames of 20 ms: the play lasts about 300 ms of real time.
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    const expected = Buffer.concat([welcome, digit]);
    await expect.poll(() => Buffer.concat(chunks).length, { timeout: 3_000 }).toBe(expected.length);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    await audio.end();
    expect(sent).toEqual(['AT+QPCMV=1,0', 'AT+QPCMV=0']);
    await modemSide.close();
    clock.dispose();
  });
});

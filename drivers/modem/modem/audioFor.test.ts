import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { PROFILES } from '../profiles/detect.ts';
import type { ByteTransport, ByteTransportEvents } from '../../serial/ByteTransport.ts';
import { audioFor, PlaybackDone } from './audioFor.ts';

class NullTty extends EventEmitter<ByteTransportEvents> implements ByteTransport {
  isOpen = false;
  async open(): Promise<void> {
    this.isOpen = true;
  }
  async write(): Promise<void> {}
  async close(): Promise<void> {
    this.isOpen = false;
  }
}

function deps(onPcm?: (chunk: Uint8Array) => void) {
  const { logger, records } = capturingLogger();
  const hub = new PlaybackDone();
  return {
    records,
    deps: { send: async () => ({ lines: [] }), onPlaybackDone: (cb: () => void) => hub.subscribe(cb), clock: new FakeClock(), logger, onPcm },
  };
}

const WARN = 'in-band DTMF needs the PCM audio path (openPcmPort): caller digits will not be detected';

describe('audioFor and in-band DTMF', () => {
  it('a Huawei with an audio port gets the PCM path, which hands received audio to onPcm', async () => {
    const got: number[] = [];
    const tty = new NullTty();
    const { deps: d, records } = deps((c) => got.push(c.length));
    const path = audioFor(PROFILES.huawei, { kind: 'auto', promptDir: '/p', openPcmPort: () => tty }, d);
    expect(path.kind).toBe('pcm');
    await path.start(1);
    tty.emit('data', new Uint8Array(320));
    expect(got).toEqual([320]);
    expect(records.some((r) => r.msg === WARN)).toBe(false);
  });

  it('warns once when in-band DTMF is wanted but the path is not PCM (no audio port configured)', () => {
    const { deps: d, records } = deps(() => undefined);
    expect(audioFor(PROFILES.huawei, undefined, d).kind).toBe('silent');
    expect(records.filter((r) => r.msg === WARN)).toHaveLength(1);
  });

  it('PlaybackDone notifies each subscriber until it unsubscribes', () => {
    const hub = new PlaybackDone();
    let n = 0;
    const off = hub.subscribe(() => n++);
    hub.notify();
    off();
    hub.notify();
    expect(n).toBe(1);
  });
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { PromptRef } from '../../../gateway/trunk/TrunkPort.ts';
import type { AtCommand } from '../session/AtCommand.ts';
import type { ByteTransport } from '../../serial/ByteTransport.ts';
import type { AudioPath, SendAt } from './AudioPath.ts';
import { PromptCatalog } from './PromptCatalog.ts';
import { linkedAbort, waitOnClock } from './waits.ts';

/** 8 kHz × 16-bit mono: 16 000 bytes/s; a 20 ms frame is 320 bytes (chan_dongle's frame size for Huawei). */
export const PCM_FRAME_MS = 20;
export const PCM_FRAME_BYTES = 320;

/** Audio on/off around a call. */
export interface PcmCommands {
  /** Sent in order when the call connected, before the audio tty is opened. */
  enable: readonly AtCommand[];
  /** Sent in order when the call is gone. */
  disable: readonly AtCommand[];
}

export type PcmFamily = 'sim7600' | 'quectel' | 'huawei';

/** Per-family commands (gsm-modems.md §5.2–§5.4, §8). */
export const PCM_COMMANDS: Record<PcmFamily, PcmCommands> = {
  // SIM7600: after the call connects (ModemManager's simtech plugin waits briefly first); =0 after hangup (bg111#276).
  sim7600: { enable: [{ text: 'AT+CPCMREG=1', timeout: 'quick' }], disable: [{ text: 'AT+CPCMREG=0', timeout: 'quick' }] },
  // Quectel EC2x/EG25: PCM on the USB audio tty (=1,2 would be UAC/ALSA instead).
  quectel: { enable: [{ text: 'AT+QPCMV=1,0', timeout: 'quick' }], disable: [{ text: 'AT+QPCMV=0', timeout: 'quick' }] },
  // Huawei voice firmware: after ATA/ATD; the audio stops with the call (chan_dongle sends no "off").
  huawei: { enable: [{ text: 'AT^DDSETEX=2', timeout: 'quick' }], disable: [] },
};

export interface PcmStreamAudioOptions {
  /** Makes the transport for the modem's audio tty (Huawei often ttyUSB1, AT on ttyUSB2). */
  openTransport: () => ByteTransport;
  /** Directory of `<clip>.pcm` files: raw 8 kHz 16-bit little-endian mono, no header. */
  dir: string;
  commands: PcmCommands | PcmFamily;
  send: SendAt;
  catalog: PromptCatalog;
  clock: Clock;
  logger: Logger;
  /**
   * Frames written ahead of real time (default 3 = 60 ms), so scheduling
   * jitter on the host never starves the modem's playout buffer.
   */
  leadFrames?: number;
  /**
   * Receives what the modem sends on the audio tty while the path is started:
   * the caller's voice, 8 kHz s16le mono, in whole samples (even lengths; a
   * byte split by the OS is held back), a new stream at each tty open. Used
   * for in-band DTMF on modems without a DTMF URC (Huawei E1550,
   * gsm-modems.md §5.4). Without it received bytes are dropped.
   */
  onPcm?: (chunk: Uint8Array) => void;
  /** Test seam: reads a clip's PCM; null when there is none. Default: `<dir>/<id>.pcm`. */
  readClip?: (id: string) => Promise<Uint8Array | null>;
}

/**
 * Host-streamed prompts: raw PCM written to the modem's audio tty in 20 ms
 * frames paced on the clock. Failures (enable refused, tty missing, clip
 * missing, write error) are logged; play() then falls back to waiting the
 * nominal duration so the IVR keeps its timing.
 */
export class PcmStreamAudio implements AudioPath {
  readonly kind = 'pcm' as const;
  private readonly commands: PcmCommands;
  private readonly log: Logger;
  private readonly lead: number;
  private transport: ByteTransport | null = null;
  private callEnded = new AbortController();
  /** First byte of a sample the OS split across two reads, or null. */
  private oddByte: number | null = null;
  /** Hands received audio on in whole samples; a throwing consumer must not break the tty's data event. */
  private readonly received = (chunk: Uint8Array): void => {
    let bytes = chunk;
    if (this.oddByte !== null && bytes.length > 0) {
      bytes = new Uint8Array(chunk.length + 1);
      bytes[0] = this.oddByte;
      bytes.set(chunk, 1);
      this.oddByte = null;
    }
    if (bytes.length % 2 === 1) {
      this.oddByte = bytes[bytes.length - 1] ?? 0;
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (bytes.length === 0) return;
    try {
      this.opts.onPcm?.(bytes);
    } catch (e) {
      this.log.warn({ err: message(e) }, 'received-audio consumer failed; chunk dropped');
    }
  };

  constructor(private readonly opts: PcmStreamAudioOptions) {
    this.commands = typeof opts.commands === 'string' ? PCM_COMMANDS[opts.commands] : opts.commands;
    this.log = opts.logger.child({ component: 'modem.audio', path: 'pcm' });
    this.lead = Math.max(0, opts.leadFrames ?? 3);
  }

  async start(callIndex: number): Promise<void> {
    this.callEnded = new AbortController();
    for (const cmd of this.commands.enable) {
      try {
        await this.opts.send(cmd);
      } catch (e) {
        this.log.warn({ callIndex, command: cmd.text, err: message(e) }, 'audio enable failed');
      }
    }
    // start() twice without end() (a second call leg): keep one tty, not two.
    if (this.transport?.isOpen) return;
    this.transport?.off('data', this.received); // a tty that closed under us: stop listening to it
    const transport = this.opts.openTransport();
    try {
      await transport.open();
      this.transport = transport;
      this.oddByte = null;
      // The tty stays open from here to end(), so the caller's audio flows between prompts too.
      if (this.opts.onPcm) transport.on('data', this.received);
    } catch (e) {
      this.log.error({ callIndex, err: message(e) }, 'cannot open the audio tty; prompts will be silent');
    }
  }

  async play(prompt: PromptRef, signal: AbortSignal): Promise<void> {
    const link = linkedAbort(signal, this.callEnded.signal);
    try {
      const clips = this.opts.catalog.resolve(prompt);
      const transport = this.transport;
      if (!transport?.isOpen) {
        await waitOnClock(this.opts.clock, 'modem.audio.pcmSilent', PromptCatalog.totalMs(clips), link.signal);
        return;
      }
      // Read every clip first: no file I/O between frames once the stream runs.
      const pcm: Uint8Array[] = [];
      for (const clip of clips) {
        const bytes = await this.readClip(clip.id);
        if (bytes) pcm.push(bytes);
        else this.log.warn({ prompt: prompt.id, clip: clip.id }, 'PCM clip missing; skipped');
      }
      await this.stream(transport, pcm, link.signal);
    } finally {
      link.dispose();
    }
  }

  async end(): Promise<void> {
    this.callEnded.abort();
    for (const cmd of this.commands.disable) {
      try {
        await this.opts.send(cmd);
      } catch (e) {
        this.log.warn({ command: cmd.text, err: message(e) }, 'audio disable failed');
      }
    }
    const transport = this.transport;
    this.transport = null;
    transport?.off('data', this.received);
    await transport?.close().catch((e: unknown) => this.log.warn({ err: message(e) }, 'closing the audio tty failed'));
  }

  /**
   * Frame i is due at start + (i − lead)·20 ms: the first lead+1 frames go at
   * once, then one per 20 ms. Resolves when the last frame has played out.
   */
  private async stream(transport: ByteTransport, clips: readonly Uint8Array[], signal: AbortSignal): Promise<void> {
    const clock = this.opts.clock;
    const startAt = clock.now();
    let frameNo = 0;
    for (const bytes of clips) {
      for (let off = 0; off < bytes.length; off += PCM_FRAME_BYTES) {
        const due = startAt + (frameNo - this.lead) * PCM_FRAME_MS;
        const wait = due - clock.now();
        if (wait > 0 && (await waitOnClock(clock, 'modem.audio.pcmFrame', wait, signal)) === 'aborted') return;
        if (signal.aborted) return;
        try {
          await transport.write(frame(bytes, off));
        } catch (e) {
          this.log.error({ frame: frameNo, err: message(e) }, 'audio tty write failed; prompt ended');
          return;
        }
        frameNo++;
      }
    }
    const playedOut = startAt + frameNo * PCM_FRAME_MS - clock.now();
    if (playedOut > 0) await waitOnClock(clock, 'modem.audio.pcmDrain', playedOut, signal);
  }

  private async readClip(id: string): Promise<Uint8Array | null> {
    if (this.opts.readClip) return this.opts.readClip(id);
    try {
      return new Uint8Array(await readFile(join(this.opts.dir, `${id}.pcm`)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn({ clip: id, err: message(e) }, 'cannot read PCM clip');
      return null;
    }
  }
}

/** The 320-byte frame at `off`; the last one padded with silence (zero samples) so the modem always gets whole frames. */
function frame(bytes: Uint8Array, off: number): Uint8Array {
  const end = off + PCM_FRAME_BYTES;
  if (end <= bytes.length) return bytes.subarray(off, end);
  const padded = new Uint8Array(PCM_FRAME_BYTES);
  padded.set(bytes.subarray(off));
  return padded;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

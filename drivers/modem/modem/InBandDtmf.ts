import type { Logger } from '../../../gateway/core/Logger.ts';
import { DtmfDetector, type DtmfDetectorOptions } from '../audio/DtmfDetector.ts';
import type { CallTracker } from '../call/CallTracker.ts';
import type { ModemProfile } from '../profiles/ModemProfile.ts';

export interface InBandDtmfOptions {
  /** Where digits go, as `dtmf` URCs: the path the modems' own DTMF URCs take; its events reset the detector. */
  calls: Pick<CallTracker, 'onUrc' | 'on'>;
  logger: Logger;
  /** GsmModemOptions.dtmfDetect: false turns DTMF detection off, in-band too. Default true. */
  enabled?: boolean;
  /** Detector tuning; defaults in DTMF_DETECTOR_DEFAULTS (Q.24, chan_dongle). */
  detector?: Partial<DtmfDetectorOptions>;
}

/**
 * In-band DTMF for modems without a DTMF URC (profile `dtmfDetection:
 * 'inBand'`, the Huawei E1550 class, gsm-modems.md §5.4): the caller's audio
 * from the PCM audio tty goes through a DtmfDetector, and each digit is handed
 * to the call tracker as `{ kind: 'dtmf', source: 'inBand' }`, exactly like a
 * `^DDTMF:` line, so the tracker attributes it to the connected call (and drops
 * it when none is).
 *
 * The detector restarts when a call connects or ends: a key held at the end of
 * one call must not mask the same key at the start of the next (the detector
 * sees no samples in between, so no gap). With two legs up, a reset may cut a
 * digit in progress; the PCM path delivers whole samples, so a reset never
 * misaligns the stream.
 */
export class InBandDtmf {
  private readonly detector: DtmfDetector;
  private readonly log: Logger;

  constructor(private readonly o: InBandDtmfOptions) {
    this.detector = new DtmfDetector(o.detector);
    this.log = o.logger.child({ component: 'modem.dtmf', path: 'inBand' });
    o.calls.on('active', () => this.detector.reset());
    o.calls.on('ended', () => this.detector.reset());
  }

  /**
   * The receive hook for the audio path (AudioChoice → PcmStreamAudio
   * `onPcm`): set only when this modem family needs in-band detection.
   */
  sinkFor(profile: ModemProfile): ((chunk: Uint8Array) => void) | undefined {
    return this.o.enabled !== false && profile.dtmfDetection === 'inBand' ? this.push : undefined;
  }

  /** Received PCM (s16le, 8 kHz mono) from the modem. */
  readonly push = (chunk: Uint8Array): void => {
    for (const d of this.detector.push(chunk)) {
      this.log.debug({ digit: d.digit, atMs: d.atMs, durationMs: d.durationMs }, 'in-band DTMF digit');
      this.o.calls.onUrc({ kind: 'dtmf', digit: d.digit, durationMs: d.durationMs, source: 'inBand' });
    }
  };
}

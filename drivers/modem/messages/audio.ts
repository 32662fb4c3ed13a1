import { paramsAfter } from './fields.ts';
import type { Urc } from './Urc.ts';

/**
 * Module-side prompt playback finished (gsm-modems.md §8): SIM800
 * `AT+CREC=4,…` reports `+CREC: 0` when playback ends (SIM800 series AT
 * manual, verify on hardware, §12.1); SIM7600 `AT+CCMXPLAY` reports
 * `+AUDIOSTATE: audio play stop` (A76xx/SIM7500 manuals, verify); Quectel
 * `AT+QPSND` reports `+QPSND: 0` (not implemented on EG25-G open firmware, §5.3).
 */
export function parsePlaybackDone(line: string): Extract<Urc, { kind: 'playbackDone' }> | null {
  const t = line.trim();
  const crec = paramsAfter(t, '+CREC:');
  if (crec !== null) return crec === '0' ? { kind: 'playbackDone', source: '+CREC' } : null;
  const state = paramsAfter(t, '+AUDIOSTATE:');
  if (state !== null) return state.toLowerCase() === 'audio play stop' ? { kind: 'playbackDone', source: '+AUDIOSTATE' } : null;
  const qpsnd = paramsAfter(t, '+QPSND:');
  if (qpsnd !== null) return qpsnd === '0' ? { kind: 'playbackDone', source: '+QPSND' } : null;
  return null;
}

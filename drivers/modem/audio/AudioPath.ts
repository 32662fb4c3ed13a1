import type { PromptRef } from '../../../gateway/trunk/TrunkPort.ts';
import type { AtCommand } from '../session/AtCommand.ts';

/**
 * How a modem plays prompts to the caller (gsm-modems.md §8): not at all
 * (`silent`: timing only), from files stored in the module (`module`: SIM800
 * AT+CREC, SIM7600 AT+CCMXPLAY, Quectel AT+QPSND), or streamed by the host as
 * 8 kHz 16-bit PCM on the modem's audio tty (`pcm`: SIM7600 AT+CPCMREG,
 * Quectel AT+QPCMV, Huawei AT^DDSETEX). The profile picks one per modem.
 *
 * None of the methods rejects: a call must go on (and the IVR keep its timing)
 * when prompt audio fails; failures are logged.
 */
export interface AudioPath {
  readonly kind: 'silent' | 'module' | 'pcm';
  /** The call connected: enable the audio path (e.g. AT+CPCMREG=1). `callIndex` is the +CLCC index. */
  start(callIndex: number): Promise<void>;
  /** Play a prompt; resolves when it finished or `signal` aborted it. Never rejects on abort. */
  play(prompt: PromptRef, signal: AbortSignal): Promise<void>;
  /** The call is gone: stop any playback and disable the audio path. */
  end(): Promise<void>;
}

/**
 * The one way audio code talks to the modem: an AT command through the
 * session (injected by the façade; the session is written elsewhere).
 */
export type SendAt = (cmd: AtCommand, opts?: { signal?: AbortSignal }) => Promise<{ lines: string[] }>;

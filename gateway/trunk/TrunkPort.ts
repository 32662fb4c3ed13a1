import type { CallerId } from '../events.ts';

/**
 * The one contract every line driver implements: a one-line GSM modem, a
 * 30-channel E1 PRI span, or the simulator. The core drives it with
 * fire-and-forget commands; every outcome comes back as a TrunkSignal to the
 * listener, so the core stays synchronous, deterministic and replayable.
 *
 * A "leg" is one call on one channel of one trunk, inbound or outbound.
 * Leg ids are chosen by the trunk and are unique per trunk.
 *
 * DTMF arrives raw (`dtmf` signals); the core collects digits with first- and
 * inter-digit timeouts on its own clock (gateway/ivr/DigitCollector.ts) so
 * every trunk gets identical, tested collection semantics. Drivers whose
 * hardware buffers digits (MT8870) simply emit each one.
 */
export interface TrunkPort {
  readonly id: string;
  /** Channels usable for simultaneous legs: 1–2 for a modem, 30 for an E1 span. */
  readonly channels: number;
  /** Install the single listener (the gateway). */
  setListener(listener: (signal: TrunkSignal) => void): void;

  /** Answer an offered inbound leg; `answered` follows. */
  answer(legId: string): void;
  /** Play a prompt to a leg; `playDone` follows (also when stopped or interrupted by barge-in). */
  play(legId: string, prompt: PromptRef, opts?: { bargeIn?: boolean }): void;
  /** Stop any prompt playing on the leg. */
  stopPlay(legId: string): void;
  /** Place an outbound call; returns the new leg id, `dialResult` follows. */
  dial(req: DialRequest): string;
  /**
   * Connect a leg to another party: dial `endpoint` and bridge them (a modem
   * may do this by explicit call transfer). `connectResult` follows, and when
   * the bridge later ends, `bridgeEnded`.
   */
  connect(legId: string, endpoint: string, opts: { ringTimeoutMs: number; callerId?: string }): void;
  /** Cancel a pending connect (ring-no-answer handled by the core). */
  cancelConnect(legId: string): void;
  /** Hang the leg up; `ended` with cause 'local' follows. */
  hangup(legId: string): void;
  /** Line health as last known. */
  health(): TrunkHealth;
}

/** A prompt: an id resolved by the driver (module file, PCM file, TTS) plus optional say-values. */
export interface PromptRef {
  id: string;
  /**
   * The call's language (`fa`, `en`…): drivers with recorded prompts play
   * `<language>/<id>` when they hold it, else `<id>`. Absent: `<id>`.
   */
  language?: string;
  /** Values spoken after the prompt, e.g. queue position or minutes. */
  say?: ReadonlyArray<{ kind: 'number' | 'digits' | 'minutes'; value: number | string }>;
}

export interface DialRequest {
  number: string;
  /** Give up ringing after this long: the result is then 'noAnswer'. */
  ringTimeoutMs: number;
  /** Presented caller ID, where the line allows it. */
  callerId?: string;
}

export interface TrunkHealth {
  up: boolean;
  /** Human detail: 'registered', 'no SIM', 'LOS alarm', ... */
  detail: string;
  /** Channels currently carrying legs. */
  busyChannels: number;
  /**
   * Channels usable now, busy or idle: an E1 span takes channels out of
   * service under a framer alarm, a RESTART or after a failed clearing, and
   * never offers them for a leg. Absent: all `channels` (a modem is wholly
   * up or down).
   */
  inServiceChannels?: number;
  /**
   * Driver figures for status and the cloud (plain JSON): a modem's signal,
   * registration, command and recovery counters; an E1 span's alarms.
   */
  stats?: Readonly<Record<string, unknown>>;
}

export type DialOutcome = 'answered' | 'busy' | 'noAnswer' | 'failed' | 'noChannel';
export type ConnectOutcome = 'answered' | 'busy' | 'noAnswer' | 'failed' | 'unsupported';

export type TrunkSignal =
  | { kind: 'offered'; legId: string; channel: number; callerId: CallerId; dialled: string }
  /**
   * The caller's number arrived after `offered` (a late +CLIP, the network's
   * CLCC answer): at most once per leg, and only when it differs from the
   * caller ID offered. What the core decides from then on uses it.
   */
  | { kind: 'callerIdUpdated'; legId: string; callerId: CallerId }
  | { kind: 'answered'; legId: string }
  | { kind: 'dtmf'; legId: string; digit: string }
  | { kind: 'playDone'; legId: string; prompt: string; interrupted: boolean }
  | { kind: 'dialResult'; legId: string; outcome: DialOutcome }
  | { kind: 'connectResult'; legId: string; outcome: ConnectOutcome }
  /**
   * The bridged party left ('agent'), the whole call ended ('caller'/'line'),
   * or the line handed both parties over to each other by explicit call
   * transfer ('transferred': they go on talking without us; `ended` follows).
   */
  | { kind: 'bridgeEnded'; legId: string; by: 'agent' | 'caller' | 'line' | 'transferred' }
  /** The leg is gone: remote hang-up, local hang-up, or the line failed. */
  | { kind: 'ended'; legId: string; cause: 'remote' | 'local' | 'lineFailed' }
  | { kind: 'health'; health: TrunkHealth };

/**
 * One AT command as data (not code): what to write, which lines belong to its
 * answer, how long it may take and whether it may be retried. The session
 * routes every received line against the command in flight by these fields;
 * anything that does not belong to it is an unsolicited result (URC).
 */
export interface AtCommand {
  /** The command line without the trailing CR, e.g. `AT+CSQ`, `ATD+27821234567;`. */
  text: string;
  /**
   * Prefixes of information lines that belong to this command (`+CSQ:`). Lines
   * with other prefixes are URCs, even mid-response (oFono's rule).
   * `'any'`: every line that is not a final result, the echo or a *known* URC
   * belongs to the answer (ATI, AT+CGMM, AT+CGMR, AT+CGSN answer bare text).
   */
  expect?: readonly string[] | 'any';
  /**
   * Lines after a matching information line that are its body whatever they
   * look like (+CMGR header then the PDU line; each +CMGL entry then its PDU).
   * Known URCs arriving between header and body are still dispatched as URCs.
   */
  bodyLines?: number;
  /** Timeout class (see session/timeouts.ts); the timer starts after the write completed. */
  timeout: TimeoutClass;
  /**
   * 'dial': NO CARRIER / BUSY / NO ANSWER / NO DIALTONE end this command
   * (ATD, ATA). Everywhere else they are call-ended URCs (gsm-modems.md P5).
   */
  finals?: 'standard' | 'dial';
  /**
   * Information-line prefixes that complete the command with success without
   * an OK (Wavecom answers AT+CPIN? with `+CPIN: READY` and no OK).
   */
  completesOn?: readonly string[];
  /** Sent after the `> ` prompt, then Ctrl-Z (0x1A). If no prompt comes in time the session sends ESC and resyncs. */
  payload?: string;
  /**
   * Called synchronously once the `> ` prompt has come, just before the
   * payload is written: the last moment at which the command is known not to
   * have reached the network (the core commits "submitting" here for
   * at-most-once SMS, gateway/trunk/MessagingPort.ts). If it throws, the
   * payload is not written: ESC cancels the prompt (27.005 §3.5.1) and the
   * command fails with reason 'payloadNotSent', the thrown value as cause.
   */
  beforePayload?: () => void;
  /** Only idempotent queries: the session may retry these after a timeout/busy error. Never ATD/ATA. */
  retryable?: boolean;
  /** 'urgent' commands (hang-up, CLCC) jump the queue, behind the one in flight. */
  priority?: 'urgent' | 'normal';
  /**
   * The resync marker (session/resyncMarker.ts): the decimal value this
   * command's answer must contain (`ATS6=7S6?` → `007`). Until that line
   * arrives every final result and bare number is a stale answer to an
   * earlier command and is dropped; only the final after it ends the command.
   */
  marker?: number;
}

export type TimeoutClass = 'quick' | 'normal' | 'call' | 'dial' | 'smsBody' | 'reboot' | 'resync';

/** A final result code, classified. */
export type FinalResult =
  | { kind: 'ok' }
  | { kind: 'connect'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'cme'; code: number | null; text: string }
  | { kind: 'cms'; code: number | null; text: string }
  | { kind: 'noCarrier' }
  | { kind: 'busy' }
  | { kind: 'noAnswer' }
  | { kind: 'noDialtone' };

/** A successful answer: the information lines that belonged to the command, in order. */
export interface AtResponse {
  command: string;
  lines: string[];
  final: FinalResult;
  /**
   * Items the decoder threw away while this command was in flight (absent
   * when none): a line of the answer may be among them, so the answer may be
   * incomplete (an empty AT+CLCC list is then not "no calls").
   */
  discarded?: number;
}

/**
 * Why a command failed: the closed set the executor can produce. Mapped to a
 * CcgateError code by session/AtCommandError.ts.
 */
export type FailureReason =
  | 'timeout'
  | 'error'
  | 'cme'
  | 'cms'
  | 'noCarrier'
  | 'busy'
  | 'noAnswer'
  | 'noDialtone'
  | 'promptTimeout'
  /** `beforePayload` threw: the payload was never written, ESC cancelled the prompt. */
  | 'payloadNotSent'
  | 'aborted'
  | 'portClosed'
  | 'rebooted';

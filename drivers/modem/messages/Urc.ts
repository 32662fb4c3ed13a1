/**
 * Unsolicited result codes as typed values, across the four families
 * (3GPP TS 27.007/27.005 plus SIMCom, Quectel and Huawei extensions; see
 * docs/modems.md "What each family sends"). Parsers in this folder turn a URC
 * line (plus its trailing lines, e.g. the PDU after +CMT) into one of these.
 */
export type Urc =
  /** `RING`, or `+CRING: <type>` after AT+CRC=1 (type e.g. `VOICE`). */
  | { kind: 'ring'; type: string | null }
  /** `+CLIP:`; also `+CCWA:` for a waiting call (waiting = true). */
  | { kind: 'callerId'; callerId: ModemCallerId; waiting: boolean }
  /** A `+CLCC:` block pushed by SIM7600 after AT+CLCC=1 (one URC per line; the tracker reconciles). */
  | { kind: 'callListEntry'; entry: ClccEntry }
  /**
   * A per-call state change from a proprietary URC: Huawei `^ORIG/^CONF/^CONN/^CEND`,
   * Quectel `+QIND: "ccinfo"` and `^DSCI`, SIMCom `VOICE CALL: BEGIN/END`.
   * `index` is null when the URC names no call.
   */
  | { kind: 'callState'; index: number | null; state: CallState; source: string; number?: string; cause?: number }
  /** `NO CARRIER`, `BUSY`, `NO ANSWER` outside a dial command: the (or a) call ended. */
  | { kind: 'callEnded'; reason: 'noCarrier' | 'busy' | 'noAnswer' | 'noDialtone' }
  /** DTMF from the far end, any dialect (`+DTMF`, `+RXDTMF`, `+QTONEDET` ASCII code, `^DTMF`/`^DDTMF`). */
  | { kind: 'dtmf'; digit: string; durationMs: number | null; source: string }
  /**
   * `+CREG`/`+CGREG`/`+CEREG` as URC (never the solicited answer: that has <n> first).
   * '5gs' (`+C5GREG`, 27.007 §10.1.22) added by the messages layer: the registration fixtures
   * (ModemManager test-modem-helpers.c) include it; none of the four target families send it.
   */
  | { kind: 'registration'; domain: 'cs' | 'ps' | 'eps' | '5gs'; stat: number; lac: string | null; ci: string | null; act: number | null }
  /** Signal quality pushed by the modem: `+CSQN`, `^RSSI`, `+QIND: "csq"`, `^HCSQ`. rssi 0–31, 99 unknown. */
  | { kind: 'signal'; rssi: number; ber: number | null; source: string }
  /** `+CMTI: <mem>,<index>` new SMS stored. */
  | { kind: 'smsStored'; memory: string; index: number }
  /** `+CMT: [<alpha>],<length>` + PDU line (2 lines). */
  | { kind: 'smsDeliver'; length: number; pdu: string }
  /** `+CDSI: <mem>,<index>` or `+CDS: <length>` + PDU (status report). */
  | { kind: 'statusReport'; memory: string | null; index: number | null; pdu: string | null }
  /** Boot markers that mean the modem (re)started: `RDY`, `+CFUN: 1`, `Call Ready`, `SMS Ready`, `+QUSIM: 1`, `+CPIN: READY` (as URC). */
  | { kind: 'boot'; marker: string }
  /** `+CPIN: <state>` pushed (e.g. `NOT INSERTED`, `SIM PIN`) outside a query. */
  | { kind: 'simState'; state: string }
  /** Module-side prompt playback finished: `+CREC: 0` (SIM800), `+AUDIOSTATE: audio play stop` (SIM7600), `+QPSND: 0`. */
  | { kind: 'playbackDone'; source: string }
  /** Power warnings: `UNDER-VOLTAGE WARNNING`, `UNDER_VOLTAGE WARNING `, `OVER-VOLTAGE …`, `NORMAL POWER DOWN`. */
  | { kind: 'power'; text: string }
  /** Known URCs we deliberately ignore (`^BOOT`, `^MODE`, `+CIEV`, `*PSUTTZ`, `DST:`, `+CGDMODIND`, `MISSED_CALL` …). */
  | { kind: 'noise'; name: string; text: string };

/** Caller ID exactly as the network gave it: never prefixed or otherwise altered. */
export interface ModemCallerId {
  /** The number string as received (may be empty, may contain non-digits). */
  number: string;
  /** Type of address octet (145 international, 129 unknown, 161 national), null if absent. */
  type: number | null;
  /** From <CLI validity> (0 valid, 1 withheld, 2 not available); an empty number with no field counts as unavailable. */
  validity: 'valid' | 'withheld' | 'unavailable';
  alpha: string | null;
}

export type CallState = 'active' | 'held' | 'dialing' | 'alerting' | 'incoming' | 'waiting' | 'ended';

/** One `+CLCC:` line (27.007 §7.18). */
export interface ClccEntry {
  index: number;
  direction: 'out' | 'in';
  state: CallState;
  /** 0 voice, 1 data, 2 fax, 9 unknown … */
  mode: number;
  multiparty: boolean;
  number: string | null;
  type: number | null;
  alpha: string | null;
  validity: 'valid' | 'withheld' | 'unavailable' | null;
}

import type { EventEmitter } from 'node:events';
import type { PromptRef } from '../../../gateway/trunk/TrunkPort.ts';
import type { ModemCallerId } from '../messages/Urc.ts';
import type { ModemSms } from './ModemMessaging.ts';

/** Why a modem call ended, as the line saw it. */
export type LineCallEnd = 'remote' | 'local' | 'busy' | 'noAnswer' | 'failed' | 'lineFailed';

/** What the trunk needs to know about the modem's health. */
export interface LineHealth {
  /** The modem answers and is registered: it can take and place calls. */
  up: boolean;
  /** Registered on the network (home or roaming): dials are allowed. */
  canDial: boolean;
  /** Human detail for status: 'registered, -71 dBm', 'no SIM', 'unresponsive: recovery step 2'. */
  detail: string;
  /** Driver figures (counters, signal, registration, recovery) as plain JSON, for status and the cloud. */
  stats?: Readonly<Record<string, unknown>>;
}

export interface ModemLineEvents {
  /** A new incoming call (exactly once per real call; caller ID may follow). */
  incoming: [callId: string, callerId: ModemCallerId | null];
  callerIdUpdated: [callId: string, callerId: ModemCallerId];
  /** An outgoing call (dial or second call) was answered. */
  active: [callId: string];
  ended: [callId: string, why: LineCallEnd];
  dtmf: [callId: string, digit: string];
  /** Health changed. */
  health: [health: LineHealth];
}

/**
 * The modem as the trunk adapter sees it: one voice line with call control,
 * a second call for reaching an agent, and prompt audio. GsmModem implements
 * it over the AT session; tests of ModemTrunk use an in-process fake.
 * Every method resolves when the modem accepted the command and rejects with
 * a CcgateError (AT_*, MODEM_*) when it did not.
 */
export interface ModemLine extends EventEmitter<ModemLineEvents> {
  readonly id: string;
  /**
   * Why the modem last lost all its calls (its `ended … 'lineFailed'` events
   * follow at once): a reboot took them with it; after 'unresponsive' or
   * 'portClosed' the network may still hold them up. null: never lost.
   */
  readonly lastLoss: 'rebooted' | 'unresponsive' | 'portClosed' | null;
  /** Text messages on this line (GsmModem's SmsService); absent: the trunk refuses every SMS. */
  readonly sms?: ModemSms;
  health(): LineHealth;
  /**
   * The modem still lists this call: the driver has not seen it end (a health
   * drop alone does not end it; a reboot or a lost modem does).
   */
  hasCall(callId: string): boolean;
  /** Answer a ringing call (ATA); `signal` withdraws the ATA whether still queued or in flight. */
  answer(callId: string, signal?: AbortSignal): Promise<void>;
  /** Hang up every call on the modem (AT+CHUP). */
  hangupAll(): Promise<void>;
  /** Place an outgoing call; resolves with its id once the modem accepted the dial. */
  dial(number: string): Promise<string>;
  /** Put the active call on hold (AT+CHLD=2). */
  hold(): Promise<void>;
  /** Retrieve the held call (AT+CHLD=2 with nothing active). */
  retrieve(): Promise<void>;
  /** End one call of several (AT+CHLD=1x). */
  release(callId: string): Promise<void>;
  /** Join held and active call with the modem still in (AT+CHLD=3). */
  conference(): Promise<void>;
  /** Explicit call transfer (AT+CHLD=4): the two calls are joined and the modem leaves them. */
  transfer(): Promise<void>;
  /** Turn a waiting call away as busy (AT+CHLD=0, UDUB), leaving the call in progress alone. */
  rejectWaiting(): Promise<void>;
  /** Ask the modem for its calls now (AT+CLCC); resolves once the answer has been applied (`ended` events included). */
  refreshCalls(): Promise<void>;
  /** Audio on: the call is connected (e.g. AT+CPCMREG=1). */
  startAudio(callId: string): Promise<void>;
  /** Play a prompt; resolves when it finished or `signal` aborted it. Never rejects. */
  play(prompt: PromptRef, signal: AbortSignal): Promise<void>;
  /** Audio off: no call left. */
  endAudio(): Promise<void>;
}

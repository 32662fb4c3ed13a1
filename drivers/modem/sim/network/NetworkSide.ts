import type { CallerId } from '../../../../gateway/events.ts';
import type { ModemCall } from '../calls.ts';

/** Outcome of a dial or connect as the DCE sees it. */
export type RingResult = 'answered' | 'busy' | 'noAnswer' | 'failed';

/**
 * The far side of the fake modem's radio: a TrunkPort leg of the telephone
 * simulator (`LineNetwork`) or a scripted network driven by the test
 * (`ScriptedNetwork`). The DCE calls it for host actions; it reports back
 * through `NetworkEvents`.
 */
export interface NetworkSide {
  answer(call: ModemCall): void;
  /** Release a call that owns its leg (and so everything on that leg). */
  hangup(call: Pick<ModemCall, 'legId'>): void;
  /** Place an outbound call; returns the leg id; `dialResult` follows. */
  dial(number: string): string;
  /** Ring `number` for the call held on `legId` (the host's second call); `connectResult` follows. */
  connect(legId: string, number: string): void;
  cancelConnect(legId: string): void;
  /** Play a module-side prompt on the leg; `playDone` follows. */
  play(legId: string, promptId: string): void;
  stopPlay(legId: string): void;
  /** Remember that the calls of `legId` were transferred away by ECT (AT+CHLD=4). */
  transferred(legId: string): void;
  close(): void;
}

/** What the network reports to the DCE (implemented by CallControl). */
export interface NetworkEvents {
  incoming(legId: string, callerId: CallerId): void;
  dialResult(legId: string, result: RingResult): void;
  connectResult(legId: string, result: RingResult): void;
  /** The connected (agent) party left: 'agent'; the whole call ended: 'caller' / 'line'. */
  bridgeEnded(legId: string, by: 'agent' | 'caller' | 'line'): void;
  legEnded(legId: string): void;
  dtmf(legId: string, digit: string): void;
  playDone(legId: string, promptId: string): void;
  health(up: boolean): void;
}

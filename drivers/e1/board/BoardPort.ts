import type { PromptRef } from '../../../gateway/trunk/TrunkPort.ts';

/**
 * The E1 interface board's B-channel side, as the host commands it: the
 * audio of the 30 timeslots never reaches the host (e1-pri §6, "B-channels
 * stay in hardware"), so prompts are played, channels cross-connected and a
 * channel's audio routed to a DTMF decoder by the board, on command.
 *
 * None of the methods throws: a call must go on (and the IVR keep its timing)
 * when the board misbehaves; failures are reported in `health()`.
 */
export interface BoardPort {
  /** Play a prompt into timeslot `ts`; resolves when it finished, or was stopped (`interrupted`). */
  play(ts: number, prompt: PromptRef, signal: AbortSignal): Promise<{ interrupted: boolean }>;
  /** Cross-connect two timeslots both ways (a caller and the agent leg). */
  bridge(a: number, b: number): void;
  /** Undo the cross-connect `ts` is part of; both go back to silence. */
  unbridge(ts: number): void;
  /**
   * Route the receive audio of `ts` to MT8870 decoder `decoder` of the pool
   * (drivers/dtmf), or detach it (`null`). A decoder hears one channel at a time.
   */
  routeToDecoder(ts: number, decoder: number | null): void;
  health(): { ok: boolean; detail: string };
}

import type { TrunkPort, TrunkSignal } from '../../../../gateway/trunk/TrunkPort.ts';
import type { NetworkEvents, NetworkSide, RingResult } from './NetworkSide.ts';

/** 60 s ring timeout for dials and connects: a handset network rings about that long before it gives up. */
const RING_TIMEOUT_MS = 60_000;

/**
 * The fake modem as "the core" of a TrunkPort (normally a 1-channel SimTrunk;
 * conference and ECT need a second channel for the connect leg, so give the
 * SimTrunk 2). It installs itself as the trunk's listener and translates
 * TrunkSignals into radio events.
 *
 * After an explicit call transfer the leg stays bridged in the simulator while
 * the modem has left the call: when the agent leaves (bridgeEnded{agent}) the
 * network would clear the caller too, so the fake hangs that leg up; every
 * other signal of a transferred leg is ignored.
 */
export class LineNetwork implements NetworkSide {
  private readonly gone = new Set<string>();

  constructor(
    private readonly line: TrunkPort,
    private readonly events: NetworkEvents,
  ) {
    line.setListener((s) => this.onSignal(s));
  }

  answer(call: { legId: string }): void {
    this.line.answer(call.legId);
  }
  hangup(call: { legId: string }): void {
    this.line.hangup(call.legId);
  }
  dial(number: string): string {
    return this.line.dial({ number, ringTimeoutMs: RING_TIMEOUT_MS });
  }
  connect(legId: string, number: string): void {
    this.line.connect(legId, number, { ringTimeoutMs: RING_TIMEOUT_MS });
  }
  cancelConnect(legId: string): void {
    this.line.cancelConnect(legId);
  }
  play(legId: string, promptId: string): void {
    this.line.play(legId, { id: promptId });
  }
  stopPlay(legId: string): void {
    this.line.stopPlay(legId);
  }
  transferred(legId: string): void {
    this.gone.add(legId);
  }
  close(): void {
    this.line.setListener(() => {});
  }

  private onSignal(s: TrunkSignal): void {
    if (s.kind !== 'health' && this.gone.has(s.legId)) {
      if (s.kind === 'bridgeEnded' && s.by === 'agent') this.line.hangup(s.legId);
      if (s.kind === 'ended' || s.kind === 'dialResult') this.gone.delete(s.legId);
      return;
    }
    const e = this.events;
    switch (s.kind) {
      case 'offered':
        return e.incoming(s.legId, s.callerId);
      case 'answered':
        return; // the DCE already showed the call active when ATA was accepted
      case 'callerIdUpdated':
        return; // the DCE rang with the number it had; NetworkEvents has no late +CLIP to pass on
      case 'dtmf':
        return e.dtmf(s.legId, s.digit);
      case 'playDone':
        return e.playDone(s.legId, s.prompt);
      case 'dialResult':
        return e.dialResult(s.legId, s.outcome === 'noChannel' ? 'failed' : s.outcome);
      case 'connectResult':
        return e.connectResult(s.legId, s.outcome === 'unsupported' ? 'failed' : (s.outcome as RingResult));
      case 'bridgeEnded':
        return e.bridgeEnded(s.legId, s.by === 'transferred' ? 'caller' : s.by); // the simulated network never transfers
      case 'ended':
        return e.legEnded(s.legId);
      case 'health':
        return e.health(s.health.up);
    }
  }
}

import type { Clock } from '../../gateway/core/Clock.ts';
import type { TrunkPort, TrunkSignal } from '../../gateway/trunk/TrunkPort.ts';

/** A received signal with its virtual arrival time. */
export interface LoggedSignal {
  at: number;
  signal: TrunkSignal;
}

/** Reaction of the fake core to one signal; `port` is the trunk it came from. */
export type CoreReaction = (signal: TrunkSignal, port: TrunkPort, core: FakeCore) => void;

/**
 * A minimal stand-in for the gateway core, for simulator tests and
 * cross-package scenario tests: installs itself as listener on the given
 * trunks, logs every signal with its time and runs a scripted reaction.
 */
export class FakeCore {
  readonly log: LoggedSignal[] = [];

  constructor(
    private readonly clock: Clock,
    ports: readonly TrunkPort[],
    private readonly react: CoreReaction = () => {},
  ) {
    for (const port of ports) port.setListener((signal) => this.receive(signal, port));
  }

  private receive(signal: TrunkSignal, port: TrunkPort): void {
    this.log.push({ at: this.clock.now(), signal });
    this.react(signal, port, this);
  }

  /**
   * Compact signal names for one leg (or all legs), e.g. 'offered',
   * 'playDone:welcome', 'playDone:welcome!' (interrupted), 'dtmf:1',
   * 'connectResult:busy', 'bridgeEnded:agent', 'ended:remote', 'health:down'.
   */
  names(legId?: string): string[] {
    return this.log.filter((l) => legId === undefined || legOf(l.signal) === legId).map((l) => signalName(l.signal));
  }

  /** Arrival time of the first signal with this compact name (optionally on one leg). */
  timeOf(name: string, legId?: string): number | undefined {
    return this.log.find((l) => signalName(l.signal) === name && (legId === undefined || legOf(l.signal) === legId))?.at;
  }

  /** The first signal of a kind (typed). */
  first<K extends TrunkSignal['kind']>(kind: K): Extract<TrunkSignal, { kind: K }> | undefined {
    return this.log.find((l) => l.signal.kind === kind)?.signal as Extract<TrunkSignal, { kind: K }> | undefined;
  }
}

/** The leg a signal is about (undefined for health). */
export function legOf(s: TrunkSignal): string | undefined {
  return s.kind === 'health' ? undefined : s.legId;
}

/** Compact, stable text of a signal (see {@link FakeCore.names}). */
export function signalName(s: TrunkSignal): string {
  switch (s.kind) {
    case 'offered':
    case 'answered':
      return s.kind;
    case 'callerIdUpdated':
      return `callerIdUpdated:${s.callerId.kind === 'number' ? s.callerId.number : s.callerId.kind}`;
    case 'dtmf':
      return `dtmf:${s.digit}`;
    case 'playDone':
      return `playDone:${s.prompt}${s.interrupted ? '!' : ''}`;
    case 'dialResult':
    case 'connectResult':
      return `${s.kind}:${s.outcome}`;
    case 'bridgeEnded':
      return `bridgeEnded:${s.by}`;
    case 'ended':
      return `ended:${s.cause}`;
    case 'health':
      return `health:${s.health.up ? 'up' : 'down'}`;
  }
}

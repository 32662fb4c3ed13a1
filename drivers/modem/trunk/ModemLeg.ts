import type { Timer } from '../../../gateway/core/Clock.ts';
import type { CallerId } from '../../../gateway/events.ts';
import type { ConnectFlow } from './ConnectFlow.ts';

/** One call on the modem as the core sees it. */
export interface ModemLeg {
  readonly id: string;
  callId: string | null;
  readonly dir: 'in' | 'out';
  state: 'offered' | 'answering' | 'up' | 'dialing' | 'ended';
  playing: { prompt: string; bargeIn: boolean; abort: AbortController } | null;
  connect: ConnectFlow | null;
  ringTimer: Timer | null;
  /** Inbound: the caller ID the core was offered, and whether a late one was reported since (only one is). */
  offeredCallerId?: CallerId;
  lateCallerIdSent?: boolean;
  /** Inbound, while ATA is pending: its bound (answerWaitMs) and the signal that withdraws it. */
  answering?: { timer: Timer; abort: AbortController } | null;
}

/**
 * What ending a leg owes the modem (see LineRelease): nothing (the modem
 * reported the call gone), a hang-up of that call, or of everything on the
 * line (the agent call of a connect, a dial whose id is not known yet).
 */
export type Release = 'none' | 'call' | 'line';

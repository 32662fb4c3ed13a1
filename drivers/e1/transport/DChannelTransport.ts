import type { EventEmitter } from 'node:events';

/** Events of a D-channel carrier: whole LAPD frames in, and the end of the carrier. */
export interface DChannelEvents {
  /** One LAPD frame (address + control + information), its line FCS already checked and removed. */
  frame: [lapd: Uint8Array];
  /** A frame the carrier dropped (bad FCS, abort, runt, oversize): counted by LAPD's statistics. */
  discarded: [reason: string];
  /** The carrier closed: `error` null for a requested close. */
  closed: [error: Error | null];
}

/**
 * What carries the D-channel's LAPD frames between the E1 board and the host.
 * Q.921 and Q.931 see only this, so another carrier of the same frames (the
 * serial link's async HDLC today; osmo-e1d's per-timeslot HDLC socket for an
 * icE1usb adapter later) is added without touching them.
 */
export interface DChannelTransport extends EventEmitter<DChannelEvents> {
  readonly isOpen: boolean;
  open(): Promise<void>;
  /** Send one LAPD frame; rejects when the carrier is closed. */
  send(lapd: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

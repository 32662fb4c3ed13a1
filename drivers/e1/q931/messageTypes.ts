/** Q.931 message types used on an ETSI PRI (ETSI EN 300 403 §4.4; libpri's pri_q931.h constants). */
export const MESSAGE_CODES = {
  ALERTING: 0x01,
  CALL_PROCEEDING: 0x02,
  PROGRESS: 0x03,
  SETUP: 0x05,
  CONNECT: 0x07,
  SETUP_ACKNOWLEDGE: 0x0d,
  CONNECT_ACKNOWLEDGE: 0x0f,
  DISCONNECT: 0x45,
  RESTART: 0x46,
  RELEASE: 0x4d,
  RESTART_ACKNOWLEDGE: 0x4e,
  RELEASE_COMPLETE: 0x5a,
  FACILITY: 0x62,
  NOTIFY: 0x6e,
  STATUS_ENQUIRY: 0x75,
  INFORMATION: 0x7b,
  STATUS: 0x7d,
} as const;

export type MessageType = keyof typeof MESSAGE_CODES;

const BY_CODE = new Map<number, MessageType>(Object.entries(MESSAGE_CODES).map(([k, v]) => [v, k as MessageType]));

export function messageTypeOf(code: number): MessageType | undefined {
  return BY_CODE.get(code);
}

/** Information element identifiers, codeset 0 (Q.931 §4.5, table 4-3). */
export const IE = {
  bearerCapability: 0x04,
  cause: 0x08,
  callState: 0x14,
  channelId: 0x18,
  facility: 0x1c,
  progressIndicator: 0x1e,
  notificationIndicator: 0x27,
  display: 0x28,
  dateTime: 0x29,
  keypadFacility: 0x2c,
  signal: 0x34,
  callingPartyNumber: 0x6c,
  callingPartySubaddress: 0x6d,
  calledPartyNumber: 0x70,
  calledPartySubaddress: 0x71,
  redirectingNumber: 0x74,
  restartIndicator: 0x79,
  lowLayerCompatibility: 0x7c,
  highLayerCompatibility: 0x7d,
  userUser: 0x7e,
  /** Single-octet IE. */
  sendingComplete: 0xa1,
} as const;

/**
 * Mandatory IEs of the messages the user side receives (ETSI EN 300 403
 * §3.1/§3.2; only those a CPE must check). A message without one is
 * answered with cause 96 (Q.931 §5.8.6.1).
 */
export const MANDATORY: Partial<Record<MessageType, readonly number[]>> = {
  SETUP: [IE.bearerCapability],
  DISCONNECT: [IE.cause],
  PROGRESS: [IE.progressIndicator],
  STATUS: [IE.cause, IE.callState],
  RESTART: [IE.restartIndicator],
  RESTART_ACKNOWLEDGE: [IE.restartIndicator],
};

/** Q.850 cause values the gateway sends or meets most (e1-pri §5). */
export const CAUSE = {
  unallocatedNumber: 1,
  noRoute: 3,
  channelUnacceptable: 6,
  normalClearing: 16,
  userBusy: 17,
  noUserResponding: 18,
  noAnswer: 19,
  callRejected: 21,
  numberChanged: 22,
  destinationOutOfOrder: 27,
  invalidNumberFormat: 28,
  responseToStatusEnquiry: 30,
  normalUnspecified: 31,
  noCircuitAvailable: 34,
  networkOutOfOrder: 38,
  temporaryFailure: 41,
  congestion: 42,
  requestedChannelNotAvailable: 44,
  resourceUnavailable: 47,
  bearerNotAvailable: 58,
  serviceNotAvailable: 63,
  bearerNotImplemented: 65,
  invalidCallReference: 81,
  channelDoesNotExist: 82,
  incompatibleDestination: 88,
  mandatoryIeMissing: 96,
  messageTypeNonExistent: 97,
  messageNotCompatibleWithState: 98,
  ieNonExistent: 99,
  invalidIeContents: 100,
  messageNotCompatibleWithCallState: 101,
  recoveryOnTimerExpiry: 102,
  protocolError: 111,
  interworking: 127,
} as const;

const NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(CAUSE).map(([k, v]) => [v, k]));

/** A readable name for a cause value (`userBusy`), or `cause 23` for one not in the table. */
export function causeName(value: number): string {
  return NAMES[value] ?? `cause ${value}`;
}

/** Q.850 §2.2.5 locations. */
export const LOCATION = {
  user: 0,
  privateLocal: 1,
  publicLocal: 2,
  transit: 3,
  publicRemote: 4,
  privateRemote: 5,
  international: 7,
  beyondInterworking: 10,
} as const;

/**
 * The scripted fake modem that ships with ccgate (STYLE.md rule 31): a DCE
 * speaking the SIM800, SIM7600, Quectel EC2x and Huawei E1550 AT dialects over
 * a real pseudo-terminal, with a telephone-network line side (a SimTrunk),
 * SMS, and fault injection. See FakeModem.ts for the layer diagram.
 */
export { FakeModem, type FakeModemConfig, type FakeModemEvents, type FakeModemOptions } from './FakeModem.ts';
export { startFakeModemOnPty, type FakeModemOnPty } from './startFakeModemOnPty.ts';
export { PtyPair } from '../../serial/PtyPair.ts';
export type { Behavior, CommandContext } from './dispatcher.ts';
export type { AtCommand, AtCommandKind } from './commandLine.ts';
export { parseCommandLine } from './commandLine.ts';
export { CLCC_STAT, type CallState, type EndCause, type ModemCall } from './calls.ts';
export type { DialOutcome } from './network/ScriptedNetwork.ts';
export type { SentSms, StoredSms } from './SmsStore.ts';
export type { StormHandle } from './misbehaviour.ts';
export { MODEM_FAMILIES, createDialect } from './dialects/index.ts';
export type { Dialect, DialectOptions } from './dialects/Dialect.ts';
export { buildDeliverPdu, parseSubmitPdu, type SubmitPdu } from './pdu.ts';
export type { ModemFamily, ModemIdentity, ModemSettings, ModemStatus, Registration, SimState } from './state.ts';

/**
 * The Alpha sign driver's public surface: see AlphaDisplay.ts for the layers.
 */
export { AlphaDisplay, ALPHA_DISPLAY_DEFAULTS, type AlphaDisplayDeps, type AlphaDisplayOptions, type AlphaWriteReport } from './AlphaDisplay.ts';
export { openAlphaDisplay, alphaConnection, type AlphaDeps } from './openAlphaDisplay.ts';
export { simulateAlphaDisplay, type SimulatedAlpha } from './simulateAlphaDisplay.ts';
export { alphaBytesPerChange, minimumStringPacket, type AlphaChangeCost } from './bytesPerChange.ts';
export { AlphaSignSimulator, type AlphaSignSimulatorOptions, type ReceivedPacket } from './sim/AlphaSignSimulator.ts';
export { signCapacity, type SignSpec } from './sign/SignSpec.ts';
export type { LabelRenderer } from './sign/layout.ts';
export { serialOptionsFor, SIGN_SERIAL_DEFAULTS } from './transport/serialOptions.ts';

/**
 * The simulated telephone world: trunks implementing TrunkPort, agents'
 * phones, subscribers and scripted callers, all in virtual time.
 *
 * ```
 *   TrafficGenerator ──placeCall(script)──┐        (dayProfile, trafficProfile)
 *                                         ▼
 *   SimNetwork ── addTrunk ──► SimTrunk (TrunkPort) ◄── gateway core: answer/play/dial/connect/hangup
 *     │ resolve(number)            │ legs                     ▲
 *     │                            ▼                          │ TrunkSignal, latencyMs later,
 *     ├─ SimAgentPhone          SimLeg ──── emit ─────────────┘ on the injected Clock
 *     ├─ SimSubscriber            │ the person on the leg
 *     └─ directories / default    ▼
 *                              PartyActor (keys, patience, dead air)   behaviours.ts: scripts + defaults
 *                                 │ writes
 *                                 ▼
 *                              SimCallRecord / SimCaller (heard, pressed, events, outcome)
 * ```
 *
 * Signal sequences per leg (every arrow = one signal, latencyMs after the fact):
 *
 * - inbound: offered → [answered] → (play: playDone; barge-in: dtmf → playDone{interrupted})
 *   → connect: connectResult{answered|busy|noAnswer|failed}
 * - inbound with lateCallerIdMs: offered{unavailable}, then callerIdUpdated with
 *   the number lateCallerIdMs later, among the other signals (none if the leg ended first).
 * - bridge ends, customer side is the leg's party (inbound caller, dialled customer):
 *   endBy caller → bridgeEnded{caller} → ended{remote};
 *   endBy agent → bridgeEnded{agent} (leg stays up, e.g. survey);
 *   endBy drop → bridgeEnded{line} → ended{lineFailed}.
 * - agent-first callback (leg = dialled agent, connected party = customer):
 *   customer endBy caller → bridgeEnded{agent} (leg stays); endBy agent →
 *   bridgeEnded{caller} → ended{remote}; drop → bridgeEnded{line} → ended{lineFailed}.
 * - the party hangs up (patience, prompt, deadline, dead air): ended{remote}
 *   (after bridgeEnded{caller} if bridged); no playDone/connectResult after it.
 * - gateway hangup: ended{local} only (no bridgeEnded, no playDone).
 * - dial: dialResult{answered} then as above; any other dialResult is final (no ended).
 * - trunk down: health, then per leg bridgeEnded{line} → ended{lineFailed}, or
 *   ended{lineFailed}, or (still dialling) dialResult{failed}.
 */
export * from './behaviours.ts';
export type { SimNetworkStats } from './context.ts';
export * from './dayProfile.ts';
export * from './PartyActor.ts';
export * from './SimLeg.ts';
export * from './SimNetwork.ts';
export * from './SimParty.ts';
export * from './SimSms.ts';
export * from './SimTrunk.ts';
export * from './TrafficGenerator.ts';
export * from './trafficProfile.ts';
export { FakeCore, signalName, legOf, type LoggedSignal, type CoreReaction } from './fakeCore.ts';

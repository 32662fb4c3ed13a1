import { REGISTRATION_STAT_TEXT } from '../messages/registration.ts';

/**
 * Which `<stat>` of +CREG / +CGREG / +CEREG let ccgate place a voice call
 * (3GPP TS 27.007 §7.2, §10.1.20, §10.1.22); the texts live with the parser.
 */

/**
 * Whether a stat allows a normal voice call (gsm-modems.md §7: dials are
 * refused unless stat ∈ {1, 5}; roaming counts as registered, TinyGSM#654).
 * The rest, from 27.007:
 * - 6, 7 "SMS only": the network accepted the UE for SMS, not for voice.
 * - 8, 11 emergency bearer / RLOS only: no normal calls.
 * - 9, 10 "CSFB not preferred" (E-UTRAN only, i.e. +CEREG): without VoLTE a
 *   voice-centric UE is expected to leave LTE for 2G/3G, after which the CS
 *   domain (+CREG) reports 1 or 5. We wait for that rather than dial into a
 *   fallback the network advised against, so these do not count either.
 * - 0, 2, 3, 4: not registered.
 */
export function isDialableStat(stat: number | null): boolean {
  return stat === 1 || stat === 5;
}

/** Human text for a stat, for logs and status ('stat 12' for values the spec does not define). */
export function registrationStatText(stat: number | null): string {
  if (stat === null) return 'unknown (no report yet)';
  return REGISTRATION_STAT_TEXT[stat] ?? `stat ${stat}`;
}

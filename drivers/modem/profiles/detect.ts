import { generic } from './generic.ts';
import { huawei } from './huawei.ts';
import type { Family, ModemIdent, ModemProfile } from './ModemProfile.ts';
import { quectel } from './quectel.ts';
import { sim7600 } from './sim7600.ts';
import { sim800 } from './sim800.ts';

/** Every profile by family. */
export const PROFILES: Readonly<Record<Family, ModemProfile>> = { sim800, sim7600, quectel, huawei, generic };

/**
 * Detection order: SIM800 before SIM7600 because both may say `SIMCOM`, and the
 * SIM7600 rule takes any other `SIMCOM INCORPORATED`; generic last (matches all).
 */
const ORDER: readonly ModemProfile[] = [sim800, sim7600, quectel, huawei];

export interface Detection {
  profile: ModemProfile;
  /** Why this profile was chosen, for the log. */
  reason: string;
}

/**
 * Pick the profile for a modem from its identification answers
 * (AT+CGMI/AT+CGMM/AT+CGMR or ATI). A family named in the config wins.
 */
export function detectProfile(ident: ModemIdent, override?: Family): Detection {
  const who = `${ident.manufacturer.trim()} ${ident.model.trim()}`.trim() || '(no identification)';
  if (override !== undefined) {
    return { profile: PROFILES[override], reason: `family '${override}' set in config (modem says ${who})` };
  }
  for (const profile of ORDER) {
    if (profile.detect(ident)) return { profile, reason: `identified as ${profile.family} from "${who}"` };
  }
  return { profile: generic, reason: `unknown modem "${who}": using the generic 27.007 profile` };
}

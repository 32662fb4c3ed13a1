import type { Logger } from '../../../gateway/core/Logger.ts';
import { parseClccList } from '../messages/clcc.ts';
import type { ClccEntry } from '../messages/Urc.ts';
import type { ModemProfile } from '../profiles/ModemProfile.ts';
import type { AtCommand } from '../session/AtCommand.ts';
import { failureReasonOf } from '../trunk/failureReason.ts';
import type { Send } from './initModem.ts';

/** V.250 §6.3.6 hook control: every modem takes it, for one that refuses AT+CHUP. */
const ATH: AtCommand = { text: 'ATH', timeout: 'call', priority: 'urgent' };

/** The modem answered with a refusal (ERROR, +CME ERROR): anything else (no answer, reboot, port gone) fails the init. */
function refused(e: unknown): boolean {
  const r = failureReasonOf(e);
  return r === 'error' || r === 'cme';
}

/** A caller ringing now (27.007 §7.18 stat 4 incoming, 5 waiting) is a new call, not a leftover. */
const ringing = (c: ClccEntry): boolean => c.state === 'incoming' || c.state === 'waiting';

/**
 * Calls the previous process left up on the modem (issue #9: after `kill -9`
 * the caller heard silence and the line stayed busy). Run once, at the first
 * successful init of this process, before the trunk reports up: the core
 * knows no modem call then (its recovery closed them), so every call the
 * modem lists is released: AT+CHUP (the profile's hang-up), ATH if the modem
 * refuses it, one AT+CHLD=1x per call when a ringing call must be spared.
 *
 * Not released: a call ringing now (offered as a new call when it rings on),
 * and anything at all once a caller rang in during this process, since the
 * core may have answered that caller already (ATA jumps the init queue) and
 * it cannot be told from a leftover. Resolves with the number of calls
 * released; rejects when the modem does not answer, reboots or goes away
 * (the init fails and runs again), not when it refuses a command.
 */
export async function releaseLeftoverCalls(send: Send, profile: ModemProfile, o: { logger: Logger; callOffered: boolean }): Promise<number> {
  if (o.callOffered) {
    o.logger.info({}, 'a caller rang in before the start-up call check: no call released');
    return 0;
  }
  const listed = await listCalls(send, profile, o.logger);
  const leftovers = listed.filter((c) => !ringing(c));
  if (leftovers.length === 0) return 0;
  o.logger.warn({ calls: leftovers.map(describe) }, 'calls left up by the previous process: releasing them');
  try {
    if (leftovers.length < listed.length) {
      for (const c of leftovers) await send(profile.hangup(c.index));
    } else {
      await hangUpAll(send, profile, o.logger);
    }
  } catch (e) {
    if (!refused(e)) throw e;
    o.logger.error({ err: String(e) }, 'the modem refused to release the leftover calls');
  }
  const still = (await listCalls(send, profile, o.logger)).filter((c) => !ringing(c));
  if (still.length > 0) o.logger.error({ calls: still.map(describe) }, 'leftover calls still up after the hang-up');
  return leftovers.length - Math.min(leftovers.length, still.length);
}

async function hangUpAll(send: Send, profile: ModemProfile, logger: Logger): Promise<void> {
  try {
    await send(profile.hangup());
  } catch (e) {
    if (!refused(e)) throw e;
    logger.info({ err: String(e) }, 'AT+CHUP refused: trying ATH');
    await send(ATH);
  }
}

/** The modem's calls; a modem that refuses AT+CLCC lists none (logged), one that does not answer throws. */
async function listCalls(send: Send, profile: ModemProfile, logger: Logger): Promise<ClccEntry[]> {
  try {
    return parseClccList((await send(profile.clcc())).lines).entries;
  } catch (e) {
    if (!refused(e)) throw e;
    logger.warn({ err: String(e) }, 'AT+CLCC refused: cannot check for calls left up');
    return [];
  }
}

function describe(c: ClccEntry): string {
  return `${c.index}:${c.direction}:${c.state}:${c.number ?? ''}`;
}

/**
 * One-line descriptions of gateway events for the dashboard's "recent
 * events" line and `ccgate status --follow`-style output.
 */
import type { StoredEvent } from '../../gateway/events.ts';
import { duration } from './text.ts';

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** Local wall-clock time `HH:MM:SS` (Latin digits: terminal fonts lack Persian ones) in `timeZone` (default: the host's zone). */
export function clockTime(ms: number, timeZone?: string): string {
  const key = timeZone ?? '';
  let f = timeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB-u-nu-latn', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) });
    timeFormats.set(key, f);
  }
  return f.format(ms);
}

/** Event text without the time. Unknown or rare types fall back to their name and ids. */
export function describeEvent(ev: StoredEvent): string {
  switch (ev.type) {
    case 'callOffered':
      return `call ${ev.callId} offered on ${ev.trunkId} from ${ev.callerId.kind === 'number' ? ev.callerId.number : ev.callerId.kind}`;
    case 'callerIdUpdated':
      return `call ${ev.callId} caller ID now ${ev.callerId.kind === 'number' ? ev.callerId.number : ev.callerId.kind}`;
    case 'callEnded':
      return `call ${ev.callId} ended (${ev.cause})`;
    case 'queueEntered':
      return `${ev.callId} joined ${ev.queue} at #${ev.position}${ev.priority > 0 ? ` (priority ${ev.priority})` : ''}`;
    case 'queueConnected':
      return `${ev.callId} → ${ev.agent} in ${ev.queue} after ${duration(ev.waitMs)}`;
    case 'queueCompleted':
      return `${ev.callId} done with ${ev.agent}, talk ${duration(ev.talkMs)}${ev.dropped ? ' (line dropped)' : ''}`;
    case 'queueExited':
      return `${ev.callId} left ${ev.queue}: ${ev.reason} after ${duration(ev.waitMs)}`;
    case 'agentRingNoAnswer':
      return `${ev.agent} did not answer ${ev.callId}`;
    case 'callbackRequested':
      return `callback requested by ${ev.number} in ${ev.queue}`;
    case 'callbackFinished':
      return `callback ${ev.callbackId} ${ev.outcome} after ${ev.attempts} attempt(s)`;
    case 'agentLoggedIn':
      return `${ev.agent} logged in`;
    case 'agentLoggedOut':
      return `${ev.agent} logged out`;
    case 'agentPaused':
      return `${ev.agent} paused (${ev.reason})${ev.auto ? ' automatically' : ''}`;
    case 'agentUnpaused':
      return `${ev.agent} unpaused`;
    case 'surveyAnswered':
      return `survey ${ev.score}/5 for ${ev.agent}${ev.channel === 'sms' ? ' by SMS' : ''}`;
    case 'callLanguageSet':
      return `call ${ev.callId} in ${ev.language} from menu ${ev.menu}`;
    case 'smsQueued':
      return `SMS ${ev.smsId} ${ev.purpose} to ${ev.to} queued (${ev.language})`;
    case 'smsHeld':
      return `SMS ${ev.smsId} held (${ev.reason === 'quietHours' ? 'quiet hours' : 'daily cap'})`;
    case 'smsSent':
      return `SMS ${ev.smsId} sent on ${ev.trunkId}${ev.refs.length > 1 ? ` in ${ev.refs.length} parts` : ''}`;
    case 'smsAttemptFailed':
      return `SMS ${ev.smsId} attempt ${ev.attempt} failed on ${ev.trunkId}: ${ev.error}`;
    case 'smsFailed':
      return `SMS ${ev.smsId} FAILED after ${ev.attempts} attempt(s)`;
    case 'smsUnknown':
      return `SMS ${ev.smsId} UNKNOWN (${ev.reason === 'restart' ? 'restart' : 'answer lost'} after its text went out; not resent)`;
    case 'smsDropped':
      return `SMS ${ev.smsId} dropped (${ev.reason})`;
    case 'smsDelivered':
      return `SMS ${ev.smsId} ${ev.status === 'delivered' ? 'delivered' : 'NOT delivered'}`;
    case 'smsReceived':
      return `SMS from ${ev.from}${ev.matched === 'none' ? '' : ` (${ev.matched === 'survey' ? 'survey reply' : 'opt-out'})`}`;
    case 'smsOptedOut':
      return `${ev.number} opted out of SMS`;
    case 'campaignSubmitted':
      return `campaign ${ev.campaignId} "${ev.name}" submitted, ${ev.targets} targets`;
    case 'campaignFinished':
      return `campaign ${ev.campaignId} finished`;
    case 'campaignCanceled':
      return `campaign ${ev.campaignId} canceled`;
    case 'trunkHealthChanged':
      return `trunk ${ev.trunkId} ${ev.up ? 'up' : 'DOWN'}: ${ev.detail}`;
    case 'counterSet':
      return `counter ${ev.name} = ${ev.value}${ev.source === 'cloud' ? ' (cloud)' : ''}`;
    case 'boardMessageShown':
      return `board message${ev.level === 'critical' ? ' (critical)' : ''}: "${ev.text}"`;
    case 'boardMessageCleared':
      return `board message ${ev.reason}`;
    case 'gatewayStarted':
      return `gateway started (${ev.recovered.callbacksPending} callbacks pending)`;
    default: {
      const id = 'callId' in ev ? ev.callId : 'agent' in ev ? ev.agent : 'campaignId' in ev ? ev.campaignId : 'callbackId' in ev ? ev.callbackId : '';
      return `${ev.type} ${id}`.trim();
    }
  }
}

/** `HH:MM:SS description`, the form kept in the dashboard's recent list. */
export function formatEvent(ev: StoredEvent, timeZone?: string): string {
  return `${clockTime(ev.at, timeZone)} ${describeEvent(ev)}`;
}

/**
 * The gateway's state changes as typed facts. Each is appended to the event
 * log in the same SQLite transaction as the state it describes, then handed
 * to consumers (queue_log writer, KPI aggregator, later the wallboard and the
 * MQTT outbox) after commit. Names are past-tense; times are epoch ms.
 */

/** Caller identity as the network presented it; the number is never altered. */
export type CallerId =
  | { kind: 'number'; number: string }
  | { kind: 'withheld' }
  | { kind: 'unavailable' };

export type AgentState = 'loggedOut' | 'available' | 'ringing' | 'onCall' | 'wrapUp' | 'paused';

/** How a queued call was delivered to the agent. */
export type DeliveryKind = 'inbound' | 'callback' | 'agentCallback' | 'campaign';

export type CampaignResult = 'answered' | 'confirmed' | 'busy' | 'noAnswer' | 'failed';

/** How a survey score came in. */
export type SurveyChannel = 'dtmf' | 'sms';

/** Why an SMS is sent. */
export type SmsPurpose = 'callbackBooked' | 'callbackMissed' | 'survey' | 'campaignFallback' | 'optOutAck';

/** Who set an external counter: the local API (`ccgate counter set`, other systems on the unit) or the cloud. */
export type CounterSource = 'api' | 'cloud';

/** Who changed a VIP: the YAML applied at start, the local API and CLI, or the cloud. */
export type VipSource = 'config' | 'api' | 'cloud';

/** A supervisor message's level: critical may beep on signs that can. */
export type BoardMessageLevel = 'info' | 'critical';

interface Base {
  at: number;
}

export type GatewayEvent = Base &
  (
    // --- calls and IVR --------------------------------------------------
    | { type: 'callOffered'; callId: string; trunkId: string; channel: number; callerId: CallerId; dialled: string }
    | { type: 'callAnswered'; callId: string }
    | { type: 'ivrMenuEntered'; callId: string; menu: string }
    | { type: 'ivrDigitsCollected'; callId: string; menu: string; digits: string }
    | { type: 'ivrInputInvalid'; callId: string; menu: string; reason: 'invalid' | 'timeout'; attempt: number }
    | { type: 'ivrClosed'; callId: string; reason: 'outOfHours' | 'holiday'; menu: string }
    | { type: 'callEnded'; callId: string; cause: 'caller' | 'agent' | 'system' | 'lineFailed' | 'restart' }
    /** The caller's number arrived after the call was offered (a late +CLIP). */
    | { type: 'callerIdUpdated'; callId: string; callerId: CallerId }
    // --- queue lifecycle (maps 1:1 to queue_log verbs) ------------------
    | {
        type: 'queueEntered';
        callId: string;
        queue: string;
        /** Caller number as presented ('' when withheld/unavailable). */
        callerNumber: string;
        /** 1-based position at entry, counting live and virtual entries. */
        position: number;
        priority: number;
        /** The entry's place key: a callback or resumed wait keeps its original join time. */
        joinedAt: number;
        kind: DeliveryKind;
      }
    | { type: 'agentRung'; callId: string; queue: string; agent: string }
    | { type: 'agentRingNoAnswer'; callId: string; queue: string; agent: string; ringMs: number }
    | { type: 'agentRingCanceled'; callId: string; queue: string; agent: string; ringMs: number }
    | {
        type: 'queueConnected';
        callId: string;
        queue: string;
        agent: string;
        /** Wait from entry (or original join for callbacks) to agent answer, ms. */
        waitMs: number;
        ringMs: number;
        kind: DeliveryKind;
      }
    | {
        type: 'queueCompleted';
        callId: string;
        queue: string;
        agent: string;
        by: 'caller' | 'agent';
        /** Did the line drop (not a normal hang-up)? Drives the agent-callback offer. */
        dropped: boolean;
        waitMs: number;
        talkMs: number;
        origPosition: number;
      }
    | {
        /**
         * The agent took the call over by explicit call transfer: the line is
         * free, the talk time is unknown (queue_log TRANSFER, legacy form).
         */
        type: 'queueTransferred';
        callId: string;
        queue: string;
        agent: string;
        /** The agent's endpoint the call was handed to. */
        endpoint: string;
        waitMs: number;
        origPosition: number;
      }
    | {
        type: 'queueExited';
        callId: string;
        queue: string;
        /**
         * abandon = caller hung up; timeout = max wait; key = pressed an exit
         * key (callback); empty = no agents (join or leave when empty);
         * restart = process died; shutdown = the unit stopped before the
         * caller was served (drain time over).
         */
        reason: 'abandon' | 'timeout' | 'key' | 'empty' | 'restart' | 'shutdown';
        key?: string;
        position: number;
        origPosition: number;
        waitMs: number;
        /** Queue the caller was moved to after a timeout, if any. */
        overflowTo?: string;
      }
    // --- callbacks --------------------------------------------------------
    | { type: 'callbackRequested'; callbackId: string; callId: string; queue: string; number: string; priority: number; joinedAt: number; expiresAt: number }
    | { type: 'callbackDuplicate'; callbackId: string; callId: string; queue: string; number: string }
    | { type: 'callbackOfferDeclined'; callId: string; queue: string; reason: 'withheld' | 'declined' | 'noInput' }
    | { type: 'callbackDialled'; callbackId: string; attempt: number; agent: string; number: string; mode: 'agentFirst' | 'customerFirst' }
    | { type: 'callbackAttemptFailed'; callbackId: string; queue: string; attempt: number; reason: 'busy' | 'noAnswer' | 'failed' | 'agentNoAnswer' | 'hungUp'; nextAt?: number }
    | { type: 'callbackConnected'; callbackId: string; callId: string; agent: string; queue: string; delayMs: number }
    /**
     * satisfied = the customer rang again and an agent of the queue answered
     * them live (`callId` is that call), so the callback is no longer owed.
     */
    | { type: 'callbackFinished'; callbackId: string; outcome: 'completed' | 'failed' | 'expired' | 'canceled' | 'satisfied'; attempts: number; callId?: string }
    // --- agent callback (same agent within the window) -------------------
    | { type: 'agentCallbackOffered'; callId: string; agent: string; queue: string }
    | { type: 'agentCallbackAccepted'; callId: string; agent: string; queue: string }
    | { type: 'agentCallbackFellBack'; callId: string; agent: string; queue: string; waitedMs: number }
    // --- agents -----------------------------------------------------------
    | { type: 'agentLoggedIn'; agent: string; queues: string[] }
    | { type: 'agentLoggedOut'; agent: string; sessionMs: number }
    | { type: 'agentPaused'; agent: string; reason: string; auto: boolean }
    | { type: 'agentUnpaused'; agent: string; auto: boolean }
    | { type: 'agentStateChanged'; agent: string; from: AgentState; to: AgentState }
    // --- survey -------------------------------------------------------------
    | { type: 'surveyOffered'; callId: string; queue: string; agent: string }
    /** `channel` absent in events written before SMS surveys: 'dtmf'. */
    | { type: 'surveyAnswered'; callId: string; queue: string; agent: string; score: number; channel?: SurveyChannel }
    | { type: 'surveyUnanswered'; callId: string; queue: string; agent: string; reason: 'hangup' | 'timeout' | 'invalid' }
    // --- outbound campaigns -----------------------------------------------
    | { type: 'campaignSubmitted'; campaignId: string; name: string; targets: number }
    | { type: 'campaignDialled'; campaignId: string; targetId: string; number: string; attempt: number; callId: string }
    | { type: 'campaignTargetFinished'; campaignId: string; targetId: string; result: CampaignResult; attempts: number; final: boolean }
    | { type: 'campaignFinished'; campaignId: string; counts: Record<CampaignResult, number> }
    | { type: 'campaignCanceled'; campaignId: string }
    // --- languages and SMS --------------------------------------------------
    /** The call passed a menu with a language of its own: prompts, SMS and survey texts follow it from now on. */
    | { type: 'callLanguageSet'; callId: string; language: string; menu: string }
    /** An SMS was committed to the outbox; nothing is sent that was not queued first. `to` is the canonical number. */
    | { type: 'smsQueued'; smsId: string; to: string; purpose: SmsPurpose; language: string; queue?: string; callId?: string; callbackId?: string; campaignId?: string; targetId?: string }
    /** Waiting for quiet hours to end or for tomorrow's daily cap; `until` is when it may go. */
    | { type: 'smsHeld'; smsId: string; reason: 'quietHours' | 'dailyCap'; until: number }
    /** Committed just before the body goes to the line: from here a lost answer makes it `unknown`, never a resend. */
    | { type: 'smsSubmitting'; smsId: string; trunkId: string; attempt: number }
    /** The network accepted it (`+CMGS`): one reference per part. */
    | { type: 'smsSent'; smsId: string; trunkId: string; refs: number[] }
    /** This attempt failed before the body reached the line; `nextAt` null = no attempt left (smsFailed follows). */
    | { type: 'smsAttemptFailed'; smsId: string; trunkId: string; attempt: number; error: string; nextAt: number | null }
    | { type: 'smsFailed'; smsId: string; attempts: number; reason: string }
    /** The body may have gone out but no answer came (process killed, line lost): never resent. */
    | { type: 'smsUnknown'; smsId: string; trunkId: string | null; reason: 'interrupted' | 'restart' }
    /** Not sent: the number opted out, the text went stale while held, or SMS were switched off. */
    | { type: 'smsDropped'; smsId: string; reason: 'optedOut' | 'stale' | 'disabled' | 'withheld' }
    /** A delivery report (`+CDS`/status report) for a sent SMS. */
    | { type: 'smsDelivered'; smsId: string; status: 'delivered' | 'failed' }
    /** An SMS came in; `matched` says what it was taken as. The text itself is kept only in its survey answer or opt-out. */
    | { type: 'smsReceived'; from: string; trunkId: string; matched: 'survey' | 'optOut' | 'none'; callId?: string }
    /** The number replied with a stop word: no more SMS to it. */
    | { type: 'smsOptedOut'; number: string; word: string }
    // --- wallboards ---------------------------------------------------------
    /**
     * An external system's count (emails waiting, chats) was set. Sent even
     * when the value is unchanged: `at` is what boards judge freshness by.
     */
    | { type: 'counterSet'; name: string; value: number; source: CounterSource }
    /** A supervisor message went up on every board, replacing any other, until `until` (epoch ms). */
    | { type: 'boardMessageShown'; text: string; level: BoardMessageLevel; until: number }
    /** The message came down: cleared by a supervisor, or its time was up. */
    | { type: 'boardMessageCleared'; reason: 'cleared' | 'expired' }
    // --- VIPs ---------------------------------------------------------------
    /** A VIP was added or changed (`priority`), or removed (`priority` null); `number` is canonical. */
    | { type: 'vipChanged'; number: string; priority: number | null; source: VipSource }
    // --- lines --------------------------------------------------------------
    | { type: 'trunkHealthChanged'; trunkId: string; up: boolean; detail: string }
    | { type: 'gatewayStarted'; recovered: { liveCallsClosed: number; callbacksPending: number; campaignsActive: number } }
    /** A clean stop began: no new calls; `inProgress` calls may finish within the drain time. */
    | { type: 'gatewayDraining'; inProgress: number; drainMs: number }
    /** The stop finished: `finished` calls ended by themselves while draining, `ended` were cut at the drain deadline. */
    | { type: 'gatewayStopped'; finished: number; ended: number }
    // --- data ---------------------------------------------------------------
    /**
     * A retention hard cap (`reason`: the database's size or the events' age)
     * cut events `fromSeq`…`toSeq` before durable consumer `consumer` had read
     * them; it resumes after `toSeq`. Nothing else is ever cut unread.
     */
    | { type: 'gap'; consumer: string; fromSeq: number; toSeq: number; reason: 'age' | 'size' }
  );

export type GatewayEventType = GatewayEvent['type'];
export type EventOf<T extends GatewayEventType> = Extract<GatewayEvent, { type: T }>;

/** An event as stored: with its gap-free sequence number from the event log. */
export type StoredEvent = GatewayEvent & { seq: number };

/** Anything that reads the event stream after commit. */
export interface EventConsumer {
  readonly name: string;
  consume(ev: StoredEvent): void;
}

export function callerNumber(id: CallerId): string {
  return id.kind === 'number' ? id.number : '';
}

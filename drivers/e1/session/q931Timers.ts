/** Q.931 timers of the user side (Q.931 table 9-2, ETSI EN 300 403; e1-pri §5), ms. */
export interface Q931Timers {
  /** SETUP sent, no answer: resend once, then clear (cause 102). */
  t303: number;
  /** DISCONNECT sent, no RELEASE: send RELEASE. */
  t305: number;
  /** RELEASE sent, no RELEASE COMPLETE: resend once, then free the call and put the channel in maintenance. */
  t308: number;
  /** Data link lost with active calls: clear them if it is not back. */
  t309: number;
  /** CALL PROCEEDING received, nothing more: clear (cause 102). */
  t310: number;
  /** CONNECT sent, no CONNECT ACKNOWLEDGE: clear. */
  t313: number;
  /** RESTART sent, no RESTART ACKNOWLEDGE: resend. */
  t316: number;
}

export const Q931_DEFAULTS: Q931Timers = { t303: 4_000, t305: 30_000, t308: 4_000, t309: 90_000, t310: 30_000, t313: 4_000, t316: 120_000 };

/**
 * Tuning of the web wallboard, one place, each with its unit and reason.
 */
export interface WebBoardOptions {
  /**
   * Interval of the heartbeat event on every page's stream, ms. The page
   * declares the server gone after {@link WebBoardOptions.lostAfterBeats}
   * periods without any message. Default 5 000.
   */
  heartbeatMs: number;
  /** Heartbeat periods without a message before a page shows "connection lost". Default 3. */
  lostAfterBeats: number;
  /** EventSource reconnection delay sent to the page (`retry:` field, WHATWG HTML §9.2), ms. Default 2 000. */
  retryMs: number;
  /** A page stream this far behind (bytes buffered) is dropped rather than buffered without bound (a TV asleep on the Wi-Fi). Default 1 MiB. */
  maxBufferBytes: number;
  /** Most CJK characters the built font covers; beyond it new characters fall back to the browser's fonts (supervisor messages must not grow it without bound). Default 3 000. */
  maxCjkChars: number;
}

export const WEB_DEFAULTS: WebBoardOptions = {
  heartbeatMs: 5_000,
  lostAfterBeats: 3,
  retryMs: 2_000,
  maxBufferBytes: 1024 * 1024,
  maxCjkChars: 3_000,
};

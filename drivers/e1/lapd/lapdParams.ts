/** Q.921 system parameters for SAPI 0 on a primary rate interface (Q.921 §5.9, e1-pri §2). */
export interface LapdParams {
  /** T200, ms: retransmission timer; Q.921 default 1 s. */
  t200Ms: number;
  /** T203, ms: maximum time without frames exchanged; Q.921 default 10 s. */
  t203Ms: number;
  /** N200: maximum retransmissions; Q.921 default 3. */
  n200: number;
  /** N201: maximum information octets in a frame; Q.921 default 260. */
  n201: number;
  /** k: maximum outstanding I-frames; Q.921 default 7 for SAPI 0 at primary rate. */
  k: number;
  /** First wait before establishing again after the link could not be established, ms (doubling up to the max). */
  retryInitialMs: number;
  retryMaxMs: number;
}

export const LAPD_DEFAULTS: LapdParams = {
  t200Ms: 1_000,
  t203Ms: 10_000,
  n200: 3,
  n201: 260,
  k: 7,
  retryInitialMs: 1_000,
  retryMaxMs: 30_000,
};

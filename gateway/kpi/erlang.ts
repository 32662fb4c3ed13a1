/**
 * Erlang B / Erlang C (M/M/N queue) formulas, used for the staffing hint on
 * the wallboard and as the oracle for the queue simulator.
 * Reference: docs/kpis.md, section "Erlang C".
 *
 * Notation: A = offered load in Erlangs (arrival rate × mean handle time),
 * N = number of agents, h = mean handle time (seconds), t = service-level
 * threshold (seconds). All functions are pure.
 *
 * Numerics: the factorial/power summation form overflows doubles near
 * A = 170 (170! ≈ 7e306). The Erlang B recursion
 * B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)) only ever holds values in
 * [0, 1] and is stable for any A, so everything here is built on it.
 */

/**
 * Erlang B blocking probability for `n` servers and load `a` Erlangs.
 * Returns a value in [0, 1]; B(0, A) = 1.
 */
export function erlangB(n: number, a: number): number {
  if (a <= 0) return n <= 0 ? 1 : 0;
  let b = 1;
  for (let k = 1; k <= n; k++) b = nextErlangB(b, k, a);
  return b;
}

/** One recursion step: B(k, A) from B(k−1, A). */
function nextErlangB(prev: number, k: number, a: number): number {
  return (a * prev) / (k + a * prev);
}

/** Erlang C from Erlang B for the same N and A: Pw = N·B / (N − A·(1 − B)). */
function erlangCFromB(n: number, a: number, b: number): number {
  if (a <= 0) return 0;
  if (n <= a) return 1;
  return (n * b) / (n - a * (1 - b));
}

/**
 * Erlang C: probability that an arriving call has to wait (Pw) with `n`
 * agents and load `a` Erlangs. With N ≤ A the queue grows without bound and
 * every call waits, so this returns 1.
 */
export function erlangC(n: number, a: number): number {
  return erlangCFromB(n, a, erlangB(n, a));
}

/**
 * Share of calls answered within `tSec` seconds:
 * SL(t) = 1 − Pw · e^{−(N−A)·t/h}. 0 when N ≤ A (unstable queue).
 * @param hSec mean handle time, seconds.
 */
export function serviceLevel(n: number, a: number, tSec: number, hSec: number): number {
  if (a <= 0) return 1;
  if (n <= a) return 0;
  return slFromPw(erlangC(n, a), n, a, tSec, hSec);
}

function slFromPw(pw: number, n: number, a: number, tSec: number, hSec: number): number {
  return 1 - pw * Math.exp((-(n - a) * tSec) / hSec);
}

/**
 * Average speed of answer over all calls (waiting or not), seconds:
 * ASA = Pw · h / (N − A). Infinity when N ≤ A.
 */
export function asa(n: number, a: number, hSec: number): number {
  if (a <= 0) return 0;
  if (n <= a) return Number.POSITIVE_INFINITY;
  return (erlangC(n, a) * hSec) / (n - a);
}

/**
 * Smallest whole number of agents N > A whose Erlang C service level
 * (answered within `tSec`) reaches `target` (0–1). 0 when there is no load.
 *
 * B is advanced one step per candidate N, so the search is O(N) overall,
 * fine for A up to a few thousand Erlangs. A target of 1 or more can only be
 * met once e^{−x} underflows; it is clamped to 1 − 1e-9 so the loop always ends.
 */
export function agentsNeeded(a: number, hSec: number, tSec: number, target: number): number {
  if (!(a > 0) || !(hSec > 0)) return 0;
  const goal = Math.min(target, 1 - 1e-9);
  let n = Math.floor(a) + 1;
  let b = erlangB(n, a);
  for (;;) {
    const sl = slFromPw(erlangCFromB(n, a, b), n, a, tSec, hSec);
    if (sl >= goal) return n;
    n += 1;
    b = nextErlangB(b, n, a);
  }
}

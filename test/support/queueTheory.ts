/**
 * Textbook figures of the M/M/c queue (Erlang C) and of M/M/c/K (at most K
 * callers in the system, arrivals beyond that blocked), as test oracles. They
 * are computed here from the birth–death chain's terms, independently of
 * gateway/kpi/erlang.ts (which builds on the Erlang B recursion), so a test
 * comparing the two is not comparing a function with itself.
 *
 * Notation: a = offered load in Erlangs (λ·h), c = agents, h = mean handle
 * time, t = service-level threshold (same unit as h).
 * Sources: Kleinrock, Queueing Systems vol. 1 (1975) §3.5 (M/M/m) and §3.7
 * (M/M/m/K); Gross & Harris, Fundamentals of Queueing Theory, ch. 2.
 */

/** Unnormalised chain weights for k = 0..K callers: a^k/k! up to c, then ×(a/c) per caller. */
function weights(c: number, a: number, K: number): number[] {
  const w = [1];
  for (let k = 1; k <= K; k++) w.push((w[k - 1]! * a) / Math.min(k, c));
  return w;
}

/**
 * Erlang C by the summation form, valid for a < c:
 * Pw = [aᶜ/c! · c/(c−a)] / [Σ_{k<c} aᵏ/k! + aᶜ/c! · c/(c−a)].
 * Terms are built by ratios (no factorials), fine for c up to ~150.
 */
export function erlangCRef(c: number, a: number): number {
  const w = weights(c, a, c);
  const below = w.slice(0, c).reduce((s, x) => s + x, 0);
  const waiting = (w[c]! * c) / (c - a);
  return waiting / (below + waiting);
}

/** Share answered within t: 1 − Pw·e^{−(c−a)t/h} (the wait of a waiting caller is exponential at rate (c−a)/h). */
export function serviceLevelRef(c: number, a: number, t: number, h: number): number {
  return 1 - erlangCRef(c, a) * Math.exp((-(c - a) * t) / h);
}

/** Mean wait over all callers: Pw·h/(c−a). */
export function asaRef(c: number, a: number, h: number): number {
  return (erlangCRef(c, a) * h) / (c - a);
}

/** P(Erlang(j, rate) ≤ t) = 1 − Σ_{i<j} e^{−rate·t}(rate·t)^i/i!. */
function erlangCdf(j: number, rate: number, t: number): number {
  const x = rate * t;
  let term = Math.exp(-x);
  let sum = 0;
  for (let i = 0; i < j; i++) {
    sum += term;
    term = (term * x) / (i + 1);
  }
  return 1 - sum;
}

export interface MmckFigures {
  /** Share of arrivals blocked: the chain's P(K) (arrivals see time averages, PASTA). */
  blocked: number;
  /** Of the callers let in: share who wait at all. */
  probWait: number;
  /** Of the callers let in: mean wait (unit of h). */
  meanWait: number;
  /** Of the callers let in: share answered within t. */
  serviceLevel: number;
  /** Agent occupancy: carried load / c = a·(1 − blocked)/c. */
  occupancy: number;
}

/**
 * M/M/c/K with FCFS service. An admitted caller who finds k ≥ c in the
 * system waits for k − c + 1 completions at rate c/h: an Erlang(k−c+1, c/h)
 * time; one who finds k < c does not wait.
 */
export function mmcK(c: number, a: number, K: number, t: number, h: number): MmckFigures {
  const w = weights(c, a, K);
  const total = w.reduce((s, x) => s + x, 0);
  const p = w.map((x) => x / total);
  const blocked = p[K]!;
  let probWait = 0;
  let meanWait = 0;
  let late = 0;
  for (let k = c; k < K; k++) {
    const seen = p[k]! / (1 - blocked);
    probWait += seen;
    meanWait += (seen * (k - c + 1) * h) / c;
    late += seen * (1 - erlangCdf(k - c + 1, c / h, t));
  }
  return { blocked, probWait, meanWait, serviceLevel: 1 - late, occupancy: (a * (1 - blocked)) / c };
}

/**
 * The textbook FCFS multi-server queue, as a test oracle: customers in
 * arrival order each take the server that frees first; nothing else. Waits
 * follow from arrivals and service times alone (Kiefer–Wolfowitz recursion),
 * so it is independent of everything in ccgate.
 */
export function fcfsWaits(arrivals: readonly number[], services: readonly number[], servers: number): number[] {
  const free = new MinHeap(servers);
  for (let i = 0; i < servers; i++) free.push(-Infinity);
  const waits: number[] = [];
  for (let i = 0; i < arrivals.length; i++) {
    const a = arrivals[i]!;
    const f = free.pop();
    const start = Math.max(a, f);
    waits.push(start - a);
    free.push(start + services[i]!);
  }
  return waits;
}

class MinHeap {
  private h: number[] = [];
  constructor(capacity: number) {
    this.h = [];
    this.h.length = 0;
    void capacity;
  }
  push(x: number): void {
    const h = this.h;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]! <= h[i]!) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  pop(): number {
    const h = this.h;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]! < h[m]!) m = l;
        if (r < h.length && h[r]! < h[m]!) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

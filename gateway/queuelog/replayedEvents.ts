/**
 * After a restart, which replayed events' lines already end the queue_log?
 *
 * `tail` is the end of the logical file found on open, `events` the lines of
 * the events replayed after the cursor, in order. Returns the largest k such
 * that the lines of the first k events are exactly the last lines of the tail
 * (0 when none), or 'hold' when no event matches yet but all the lines so far
 * occur in the tail short of its end: more replayed events will show whether
 * they repeat it.
 */
export function replayedEvents(tail: readonly string[], events: readonly { lines: readonly string[] }[]): { events: number; lines: number } | 'hold' {
  const all = events.flatMap((p) => p.lines);
  let acc = 0;
  let skip = 0;
  let skipLines = 0;
  for (let k = 0; k < events.length; k++) {
    acc += events[k]?.lines.length ?? 0;
    if (acc > 0 && acc <= tail.length && endsWith(tail, all, acc)) {
      skip = k + 1;
      skipLines = acc;
    }
  }
  if (skip === 0 && occursBeforeEnd(tail, all)) return 'hold';
  return { events: skip, lines: skipLines };
}

/** Do the first `n` of `lines` equal the last `n` of `tail`? */
function endsWith(tail: readonly string[], lines: readonly string[], n: number): boolean {
  const off = tail.length - n;
  for (let i = 0; i < n; i++) if (tail[off + i] !== lines[i]) return false;
  return true;
}

/** Do all of `lines` appear in `tail` as a run that stops short of its end (more replayed lines may follow)? */
function occursBeforeEnd(tail: readonly string[], lines: readonly string[]): boolean {
  for (let s = 0; s + lines.length < tail.length; s++) {
    let ok = true;
    for (let i = 0; i < lines.length && ok; i++) ok = tail[s + i] === lines[i];
    if (ok) return true;
  }
  return false;
}

/**
 * Which processes hold a device open, read from ROOT/proc the way fuser(1)
 * does (each /proc/PID/fd/N is a link to what it opened). Under `--root` a
 * test lays out its own proc tree; on a unit this needs root to see other
 * users' processes, and says so instead of reporting nobody.
 */
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export interface Holder {
  pid: number;
  /** /proc/PID/comm: the program's name (ModemManager, ccgate's node, minicom…). */
  comm: string;
}

export interface ProcScan {
  /** Resolved device path (as seen inside root) → its holders. */
  holders: Map<string, Holder[]>;
  /** Names of running programs (comm), for "is ModemManager running at all". */
  running: Map<number, string>;
  /** Processes whose open files could not be read (not root). */
  hidden: number;
}

function resolveIn(root: string, linkTarget: string): string {
  // A link read under ROOT/proc names a path inside root: resolve it there.
  const abs = isAbsolute(linkTarget) ? join(root, linkTarget) : linkTarget;
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

export function scanProcesses(root: string): ProcScan {
  const proc = join(root, 'proc');
  const scan: ProcScan = { holders: new Map(), running: new Map(), hidden: 0 };
  let pids: string[];
  try {
    pids = readdirSync(proc).filter((n) => /^\d+$/.test(n));
  } catch {
    return scan;
  }
  for (const name of pids) {
    const pid = Number(name);
    let comm: string;
    try {
      comm = readFileSync(join(proc, name, 'comm'), 'utf8').trim();
    } catch {
      continue; // exited while we looked
    }
    scan.running.set(pid, comm);
    let fds: string[];
    try {
      fds = readdirSync(join(proc, name, 'fd'));
    } catch {
      scan.hidden++;
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(join(proc, name, 'fd', fd));
      } catch {
        continue;
      }
      if (!target.startsWith('/dev/')) continue;
      const key = resolveIn(root, target);
      const list = scan.holders.get(key) ?? [];
      if (!list.some((h) => h.pid === pid)) list.push({ pid, comm });
      scan.holders.set(key, list);
    }
  }
  return scan;
}

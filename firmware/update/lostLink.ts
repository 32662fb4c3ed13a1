/**
 * An update must finish (or roll back) even when the technician's link
 * drops half-way. Over SSH the updater's stdout is a pipe to sshd: when the
 * connection goes, the next progress line fails with EPIPE, and an unhandled
 * stream error would kill the updater between a switch and its health check.
 * From here on output errors are swallowed (the unit's state file and
 * `ccgate update status` tell what happened), and a hang-up (a session with
 * a terminal, `ssh -t`) is ignored. Found by dropping the output pipe of a
 * real `update apply`: it exited at its second line.
 */
let armed = false;

export function surviveLostLink(proc: NodeJS.Process = process): void {
  if (armed) return;
  armed = true;
  proc.on('SIGHUP', () => {});
  for (const stream of [proc.stdout, proc.stderr]) {
    stream.on('error', () => {
      // EPIPE, or a write after the pipe was destroyed: nobody is reading any more.
    });
  }
}

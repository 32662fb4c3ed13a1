import { execFile } from 'node:child_process';

/** What the daemon tells its service manager (sd_notify(3) assignments). */
export interface Notifier {
  ready(status: string): Promise<void>;
  watchdog(): Promise<void>;
  status(text: string): Promise<void>;
  stopping(): Promise<void>;
}

/** Outside systemd (NOTIFY_SOCKET unset): nothing to tell. */
export const NO_NOTIFIER: Notifier = {
  ready: () => Promise.resolve(),
  watchdog: () => Promise.resolve(),
  status: () => Promise.resolve(),
  stopping: () => Promise.resolve(),
};

/**
 * Sends through systemd's own `systemd-notify` (Node has no unix datagram
 * sockets; no native module). The unit needs NotifyAccess=all, since the
 * sender is a child. Messages are sent one at a time, in order, so READY=1
 * always precedes STOPPING=1. A failed send is reported, never thrown:
 * the daemon keeps serving calls.
 */
export class SystemdNotifyCli implements Notifier {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly onError: (err: string) => void,
    private readonly command = 'systemd-notify',
  ) {}

  ready(status: string): Promise<void> {
    return this.send(['READY=1', `STATUS=${status}`]);
  }

  watchdog(): Promise<void> {
    return this.send(['WATCHDOG=1']);
  }

  status(text: string): Promise<void> {
    return this.send([`STATUS=${text}`]);
  }

  stopping(): Promise<void> {
    return this.send(['STOPPING=1', 'STATUS=draining calls']);
  }

  private send(assignments: string[]): Promise<void> {
    this.chain = this.chain.then(
      () =>
        new Promise<void>((resolve) => {
          execFile(this.command, assignments, { env: { ...this.env }, timeout: 10_000 }, (err, _out, stderr) => {
            if (err) this.onError(`${this.command} ${assignments.join(' ')}: ${stderr.trim() || err.message}`);
            resolve();
          });
        }),
    );
    return this.chain;
  }
}

/** The notifier for this process's environment. */
export function notifierFor(env: Readonly<Record<string, string | undefined>>, onError: (err: string) => void): Notifier {
  return env.NOTIFY_SOCKET ? new SystemdNotifyCli(env, onError) : NO_NOTIFIER;
}

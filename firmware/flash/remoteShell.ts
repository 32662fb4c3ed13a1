/**
 * Running a command on the unit over an SSH exec channel: quoting for the
 * remote shell (sshd runs the command line through the user's shell), and
 * reading its output whole or line by line.
 */
import type { Client, ClientChannel } from 'ssh2';

/** Quote one word for a POSIX shell: 'it'\''s'. */
export function shq(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** How a remote command ended: its exit code, or the signal that killed it, or null for both if the link dropped first. */
export interface RemoteExit {
  code: number | null;
  signal: string | null;
}

/** Start a command; rejects if the channel cannot be opened. */
export function execChannel(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => client.exec(command, (err, ch) => (err ? reject(err) : resolve(ch))));
}

/**
 * Run a command, calling `onLine` for every stdout line as it arrives.
 * Resolves with the exit and the last `stderrKeep` bytes of stderr, once the
 * channel closes (also when the connection drops: then code and signal are null).
 */
export async function execLines(client: Client, command: string, onLine: (line: string) => void, stderrKeep = 4096): Promise<RemoteExit & { stderr: string }> {
  const ch = await execChannel(client, command);
  return new Promise((resolve) => {
    let exit: RemoteExit = { code: null, signal: null };
    let pending = '';
    let stderr = '';
    ch.on('exit', (code: number | null, signal?: string) => {
      exit = { code: typeof code === 'number' ? code : null, signal: signal ?? null };
    });
    ch.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        onLine(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    ch.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-stderrKeep);
    });
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      client.removeListener('close', finish);
      if (pending !== '') onLine(pending);
      resolve({ ...exit, stderr });
    };
    ch.on('close', finish);
    // A cut link may leave the channel without its own 'close': the connection's close ends the wait too.
    client.once('close', finish);
  });
}

/** Run a command and collect its whole stdout. */
export async function execCollect(client: Client, command: string): Promise<RemoteExit & { stdout: string; stderr: string }> {
  const lines: string[] = [];
  const r = await execLines(client, command, (l) => lines.push(l));
  return { ...r, stdout: lines.join('\n') };
}

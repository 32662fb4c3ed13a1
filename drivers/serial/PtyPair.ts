import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CcgateError } from '../../gateway/core/errors.ts';

/**
 * A pseudo-terminal pair made by socat: whatever is written to one end comes
 * out of the other, through the kernel's tty layer, so both sides can use the
 * real `serialport` binding. The host driver opens `hostPath`, the fake modem
 * opens `devicePath`. A PTY carries no baud rate or modem control lines.
 */
export class PtyPair {
  private constructor(
    private readonly proc: ChildProcess,
    private readonly dir: string,
    readonly hostPath: string,
    readonly devicePath: string,
  ) {}

  /** Start socat and wait (up to `timeoutMs`) until both links exist. */
  static async open(opts: { dir?: string; name?: string; timeoutMs?: number } = {}): Promise<PtyPair> {
    const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'ccgate-pty-'));
    const name = opts.name ?? 'modem';
    const hostPath = join(dir, `${name}.host`);
    const devicePath = join(dir, `${name}.dev`);
    const proc = spawn('socat', [`pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const failed = new Promise<never>((_, reject) => {
      proc.once('error', (e) => reject(new CcgateError('SERIAL_OPEN_FAILED', `cannot start socat (is it installed? apt-get install socat): ${e.message}`, {}, { cause: e })));
      proc.once('exit', (code) => reject(new CcgateError('SERIAL_OPEN_FAILED', `socat exited with ${code}: ${stderr.trim()}`)));
    });
    const deadline = Date.now() + (opts.timeoutMs ?? 5_000);
    const ready = (async () => {
      while (!(existsSync(hostPath) && existsSync(devicePath))) {
        if (Date.now() > deadline) throw new CcgateError('SERIAL_OPEN_FAILED', `socat did not create ${hostPath} in time`);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      await Promise.race([ready, failed]);
    } catch (e) {
      proc.kill('SIGKILL');
      throw e;
    }
    failed.catch(() => undefined);
    return new PtyPair(proc, dir, hostPath, devicePath);
  }

  /** Kill socat (both ends see EIO/close) and remove the links. */
  async close(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

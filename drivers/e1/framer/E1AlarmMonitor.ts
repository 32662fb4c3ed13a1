/**
 * Polls the framer's alarm and counter registers and integrates each line
 * condition before reporting it, as carriers do (G.775 practice: raised after
 * it persists `raiseMs`, 2.5 s by default; cleared after it has been absent
 * `clearMs`, 10 s), so a glitch neither drops the calls nor flaps the span.
 * A framer that cannot be read is reported (`access`), and the conditions are
 * left as last known rather than guessed.
 */
import { EventEmitter } from 'node:events';
import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import { silentLogger, type Logger } from '../../../gateway/core/Logger.ts';
import { COUNTER_REGISTERS, DS26521, E1_CONDITIONS, RLS4, conditionsOf, counter16, zeroCounters, type E1Condition, type E1Counters } from './ds26521.ts';
import type { RegisterAccess } from './RegisterAccess.ts';

export interface E1AlarmMonitorOptions {
  regs: RegisterAccess;
  clock: Clock;
  pollMs: number;
  raiseMs: number;
  clearMs: number;
  logger?: Logger;
}

export interface E1AlarmMonitorEvents {
  raised: [condition: E1Condition];
  cleared: [condition: E1Condition];
  /** The framer became unreadable (with the error) or readable again (null). */
  access: [error: string | null];
}

interface Integrator {
  since: number | null;
  absentSince: number | null;
  raised: boolean;
}

export class E1AlarmMonitor extends EventEmitter<E1AlarmMonitorEvents> {
  private readonly state = new Map<E1Condition, Integrator>(E1_CONDITIONS.map((c) => [c, { since: null, absentSince: null, raised: false }]));
  private timer: Timer | null = null;
  private stopped = false;
  private failing: string | null = null;
  private readonly log: Logger;
  readonly counters: E1Counters = zeroCounters();
  /** Failed polls since start; a note on the framer's configuration when it is not in E1 mode. */
  readonly stats = { polls: 0, failedPolls: 0, modeProblem: null as string | null };

  constructor(private readonly o: E1AlarmMonitorOptions) {
    super();
    this.log = (o.logger ?? silentLogger).child({ component: 'e1-framer', framer: o.regs.name });
  }

  /** Conditions raised now. */
  get raised(): E1Condition[] {
    return E1_CONDITIONS.filter((c) => this.state.get(c)!.raised);
  }

  /** The last error reading the framer, or null while it answers. */
  get accessError(): string | null {
    return this.failing;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.clear();
  }

  /** One poll now (tests drive it; the timer calls it every `pollMs`). */
  async poll(): Promise<void> {
    const { regs } = this.o;
    try {
      if (this.stats.polls === 0) await this.checkMode();
      const rrts1 = await regs.read(DS26521.RRTS1);
      const rls1 = await regs.read(DS26521.RLS1);
      const rls4 = await regs.read(DS26521.RLS4);
      // Acknowledge exactly what was read (write-one-to-clear): a change latched since is kept for the next poll.
      if (rls1) await regs.write(DS26521.RLS1, rls1);
      if (rls4 & (RLS4.ONESEC | RLS4.RSLIP)) await regs.write(DS26521.RLS4, rls4 & (RLS4.ONESEC | RLS4.RSLIP));
      if (rls4 & RLS4.RSLIP) this.counters.slips++;
      if (rls4 & RLS4.ONESEC) await this.readCounters();
      this.stats.polls++;
      if (this.failing !== null) {
        this.failing = null;
        this.log.info({}, 'framer readable again');
        this.emit('access', null);
      }
      this.integrate(conditionsOf(rrts1, rls1));
    } catch (e) {
      this.stats.failedPolls++;
      const msg = e instanceof Error ? e.message : String(e);
      if (this.failing === null) {
        this.failing = msg;
        this.log.warn({ err: msg }, 'framer registers cannot be read: line alarms unknown');
        this.emit('access', msg);
      }
    }
  }

  private async checkMode(): Promise<void> {
    const rmmr = await this.o.regs.read(DS26521.RMMR);
    // RMMR bit 0: E1 (vs T1); bit 7: framer enabled. The board's firmware sets both.
    this.stats.modeProblem = (rmmr & 0x01) === 0 ? 'the framer is in T1 mode, not E1' : (rmmr & 0x80) === 0 ? 'the receive framer is disabled' : null;
    if (this.stats.modeProblem) this.log.warn({ rmmr }, this.stats.modeProblem);
  }

  private async readCounters(): Promise<void> {
    for (const [name, hi] of COUNTER_REGISTERS) {
      this.counters[name] += counter16(await this.o.regs.read(hi), await this.o.regs.read(hi + 1));
    }
  }

  private integrate(present: Set<E1Condition>): void {
    const now = this.o.clock.now();
    for (const c of E1_CONDITIONS) {
      const s = this.state.get(c)!;
      if (present.has(c)) {
        s.absentSince = null;
        s.since ??= now;
        if (!s.raised && now - s.since >= this.o.raiseMs) {
          s.raised = true;
          this.log.warn({ condition: c }, 'E1 line alarm raised');
          this.emit('raised', c);
        }
      } else {
        s.since = null;
        s.absentSince ??= now;
        if (s.raised && now - s.absentSince >= this.o.clearMs) {
          s.raised = false;
          this.log.info({ condition: c }, 'E1 line alarm cleared');
          this.emit('cleared', c);
        }
      }
    }
  }

  /** Polls on a steady cadence (not `pollMs` after each slow read), skipping any the bus made us miss. */
  private schedule(ms: number): void {
    if (this.stopped) return;
    const due = this.o.clock.now() + ms;
    this.timer = this.o.clock.setTimer('e1-framer-poll', ms, () => {
      void this.poll().then(() => {
        const now = this.o.clock.now();
        let next = due + this.o.pollMs;
        while (next < now) next += this.o.pollMs;
        this.schedule(next - now);
      });
    });
  }
}

import type { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import { TrafficGenerator } from '../../drivers/sim/TrafficGenerator.ts';
import type { GatewayConfig } from '../../gateway/config/types.ts';
import type { Clock, Timer } from '../../gateway/core/Clock.ts';
import type { Random } from '../../gateway/core/Random.ts';
import { uniformInt } from '../../gateway/core/Random.ts';
import type { Gateway } from '../../gateway/Gateway.ts';

export interface DemoSiteOptions {
  /** Inbound calls per day; default sized so the agents are busy but not swamped. */
  callsPerDay?: number;
  /** Mean talk time, ms. */
  talkMeanMs?: number;
  /** Breaks taken by agents (pause/unpause through the API), on by default. */
  breaks?: boolean;
  /** Outbound notification campaigns submitted during the day. */
  campaigns?: boolean;
  /** An external e-mail counter for the wallboards, set every 2 minutes (`ccgate demo` turns it on; off by default so seeded runs keep their random sequence). */
  emails?: boolean;
  /** Share of callers (0–1) who answer the survey SMS with a score; default 0 so seeded runs keep their random sequence (`ccgate demo` sets it). */
  smsSurveyReplyShare?: number;
}

/**
 * A day at a simulated site: callers following a day curve through the real
 * IVR (menu choices, VIPs, withheld numbers, abandons, callbacks, drops and
 * re-calls, surveys), agents logging in and taking breaks through the same
 * API a supervisor uses, and a flight-change notification campaign.
 */
export class DemoSite {
  readonly traffic: TrafficGenerator;
  private readonly timers: Timer[] = [];
  private emailTimer: Timer | null = null;

  constructor(
    private readonly gw: Gateway,
    private readonly config: GatewayConfig,
    network: SimNetwork,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly opts: DemoSiteOptions = {},
  ) {
    const entry = config.ivr.menus[config.ivr.entry]!;
    // Only keys that lead to a queue (not "0: back to the menu"), in key order
    // so the first queue gets the largest share.
    const queueKeys = Object.entries(entry.options)
      .filter(([, a]) => 'queue' in a)
      .sort(([a], [b]) => a.localeCompare(b));
    const weights = [0.5, 0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
    const firstQueue = Object.values(config.queues)[0]!;
    // Capacity of the floor: agents × (1 h / (talk + wrap-up)), at the peak hour (≈ 9 % of the day).
    const talk = opts.talkMeanMs ?? 150_000;
    const perAgentHour = 3_600_000 / (talk + firstQueue.wrapUpMs);
    const callsPerDay = opts.callsPerDay ?? Math.round((config.agents.length * perAgentHour * 0.95) / 0.09);
    this.traffic = new TrafficGenerator(network, clock, random, {
      callsPerDay,
      timeZone: config.site.timeZone,
      entryPrompt: entry.prompt,
      ivrChoices: queueKeys.map(([keys], i) => ({ keys, weight: weights[i] ?? 0.1 })),
      vipNumbers: config.vip.map((v) => v.number),
      talkMeanMs: talk,
      surveyPrompt: firstQueue.survey.prompt,
      ...(opts.smsSurveyReplyShare ? { smsSurveyReplyShare: opts.smsSurveyReplyShare } : {}),
    });
  }

  start(): void {
    for (const a of this.config.agents) this.gw.agentLogin(a.id);
    this.traffic.start();
    // A resumed demo (--data): breaks taken before the stop lost their end with the old process.
    for (const a of this.gw.snapshot().agents) if (a.state === 'paused') this.unpauseLater(a.id);
    if (this.opts.breaks ?? true) this.scheduleBreak();
    if (this.opts.campaigns ?? true) this.timers.push(this.clock.setTimer('demo-campaign', 30 * 60_000, () => this.campaign()));
    if (this.opts.emails ?? false) this.emailFeed(uniformInt(this.random, 5, 30));
  }

  /** An e-mail system counting its waiting mails, as another system would through `ccgate counter set`. */
  private emailFeed(waiting: number): void {
    this.gw.setCounter('email', waiting);
    const next = Math.max(0, waiting + uniformInt(this.random, -3, 4));
    this.emailTimer = this.clock.setTimer('demo-email', 2 * 60_000, () => this.emailFeed(next));
  }

  stop(): void {
    this.traffic.stop();
    for (const t of this.timers) t.clear();
    this.emailTimer?.clear();
  }

  private scheduleBreak(): void {
    this.timers.push(
      this.clock.setTimer('demo-break', uniformInt(this.random, 10, 25) * 60_000, () => {
        const agents = this.gw.snapshot().agents.filter((a) => a.state === 'available' || a.state === 'wrapUp' || a.state === 'onCall');
        const a = agents[Math.floor(this.random.next() * agents.length)];
        if (a) {
          const reason = ['Break', 'Coffee', 'Coaching'][uniformInt(this.random, 0, 2)]!;
          this.gw.agentPause(a.id, reason);
          this.unpauseLater(a.id);
        }
        this.scheduleBreak();
      }),
    );
  }

  private unpauseLater(agent: string): void {
    this.timers.push(this.clock.setTimer('demo-unpause', uniformInt(this.random, 5, 15) * 60_000, () => this.gw.agentUnpause(agent)));
  }

  private campaign(): void {
    const targets = Array.from({ length: 40 }, (_, i) => ({ number: this.traffic.poolNumber(4000 + i) }));
    this.gw.submitCampaign({ name: 'IR712 retimed to 14:30', prompt: 'notice-flight-change', targets, maxConcurrent: 2, callsPerMinute: 4, agentQueue: Object.keys(this.config.queues)[0]! });
  }
}

import type { Clock } from '../../core/Clock.ts';
import { CodedError } from '../../core/errors.ts';
import { localParts } from '../../core/localTime.ts';
import { silentLogger, type Logger } from '../../core/Logger.ts';
import type { InboundMessage, SyncLink } from '../link/SyncLink.ts';
import { PAYLOAD_VERSION, type AckPayload } from '../payloads.ts';
import { parseTopic, type UnitAddress, type UnitTopics } from '../topics.ts';
import { applyCommand, type CommandTarget } from './applyCommand.ts';
import { COMMANDS, commandId, describeIssues, isCommandName, type Command } from './commandSchemas.ts';
import { CommandError } from './CommandError.ts';

/** The store's record of commands already answered (idempotency by id). */
export interface CommandLedger {
  get(id: string): { id: string; kind: string; receivedAt: number; ack: string } | undefined;
  put(rec: { id: string; kind: string; receivedAt: number; ack: string }): void;
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
}

export interface CommandLimits {
  /** Largest payload accepted, bytes. */
  maxBytes: number;
  /** Targets in one campaign submitted from the cloud. */
  campaignTargets: number;
  /** Campaigns the cloud may submit per site-local day. */
  campaignsPerDay: number;
}

/** The last command handled, for status and the boards. */
export interface LastCommand {
  id: string | null;
  command: string;
  ok: boolean;
  at: number;
  error?: string;
}

export interface CommandProcessorOptions {
  address: UnitAddress;
  topics: UnitTopics;
  link: SyncLink;
  target: CommandTarget;
  ledger: CommandLedger;
  /** Run `fn` as one input of the core: the command's change and its ledger row commit together, durably. */
  runInput<T>(what: string, fn: () => T): T;
  limits: CommandLimits;
  timeZone: string;
  clock: Clock;
  logger?: Logger;
}

/**
 * Applies the cloud's commands. Every message gets an answer on `…/ack` (and
 * on the MQTT 5 response topic with its correlation data when the sender gave
 * one), success or a coded error; nothing that fails a check changes
 * anything. An empty payload (a retained command being cleared) is no
 * message to answer. A command id seen before is answered again with the first answer
 * (`repeated: true`), never applied twice: the change and the ledger row are
 * committed in the same transaction, so a crash cannot leave one without the
 * other.
 */
export class CommandProcessor {
  private readonly log: Logger;
  last: LastCommand | null = null;
  /** The command being handled, for an answer to an unexpected failure. */
  private current: { id: string | null; name: string } = { id: null, name: '' };
  private readonly onMessage = (m: InboundMessage): void => this.handle(m);

  constructor(private readonly o: CommandProcessorOptions) {
    this.log = (o.logger ?? silentLogger).child({ component: 'sync-commands' });
  }

  start(): void {
    this.o.link.on('message', this.onMessage);
  }

  stop(): void {
    this.o.link.off('message', this.onMessage);
  }

  /** Handle one inbound message; never throws. */
  handle(m: InboundMessage): void {
    // A zero-length retained publish is how the cloud clears a retained command: the broker
    // forwards it to subscribers, but it is no command, and an error answer would be noise.
    if (m.payload.length === 0) return;
    let ack: AckPayload;
    this.current = { id: null, name: '' };
    try {
      ack = this.process(m);
    } catch (e) {
      const err = e instanceof CommandError ? e : new CommandError('COMMAND_FAILED', `the command failed: ${String(e instanceof Error ? e.message : e)}`, this.current.id, this.current.name);
      if (!(e instanceof CommandError)) this.log.error({ topic: m.topic, err: String(e) }, 'command failed unexpectedly; nothing changed');
      ack = this.ack(err.commandId, err.command, { ok: false, error: { code: err.code, message: err.message } });
    }
    this.last = { id: ack.id, command: ack.command, ok: ack.ok, at: ack.at, ...(ack.error ? { error: `${ack.error.code}: ${ack.error.message}` } : {}) };
    this.answer(ack, m);
  }

  private process(m: InboundMessage): AckPayload {
    const t = parseTopic(m.topic);
    const { address } = this.o;
    const name = t?.kind === 'cmd' ? (t.name ?? '') : '';
    if (!t || t.kind !== 'cmd' || t.tenant !== address.tenant || t.site !== address.site || t.unit !== address.unit) {
      throw new CommandError('COMMAND_FOREIGN_UNIT', `topic ${m.topic} is not one of this unit's command topics (${this.o.topics.cmdFilter})`, null, name);
    }
    if (m.payload.length > this.o.limits.maxBytes) {
      throw new CommandError('COMMAND_TOO_LARGE', `payload of ${m.payload.length} bytes; at most ${this.o.limits.maxBytes}`, null, name);
    }
    let body: unknown;
    try {
      body = JSON.parse(m.payload.toString('utf8'));
    } catch {
      throw new CommandError('COMMAND_MALFORMED', 'the payload is not JSON', null, name);
    }
    const rawId = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
    const id = commandId.safeParse(rawId).success ? (rawId as string) : null;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new CommandError('COMMAND_MALFORMED', 'the payload must be a JSON object', id, name);
    const unit = (body as { unit?: unknown }).unit;
    if (unit !== undefined && unit !== `${address.tenant}/${address.site}/${address.unit}` && unit !== address.unit) {
      throw new CommandError('COMMAND_FOREIGN_UNIT', `the command is for unit ${JSON.stringify(unit)}, this is '${address.unit}'`, id, name);
    }
    this.current = { id, name };
    if (id === null) throw new CommandError('COMMAND_INVALID', 'id: an id of 1-64 letters, digits, _ : . - is required', null, name);
    if (!isCommandName(name)) throw new CommandError('COMMAND_UNKNOWN', `unknown command '${name}'; known: ${Object.keys(COMMANDS).join(', ')}`, id, name);

    const seen = this.o.ledger.get(id);
    if (seen) return { ...(JSON.parse(seen.ack) as AckPayload), repeated: true };

    const parsed = COMMANDS[name].safeParse(body);
    if (!parsed.success) throw new CommandError('COMMAND_INVALID', describeIssues(parsed.error), id, name);
    const cmd = { name, args: parsed.data } as Command;

    // Applied and recorded in one input: one commit holds both, or neither.
    try {
      return this.o.runInput(`cloud ${name}`, () => {
        this.checkLimits(cmd);
        const ack = this.ack(id, name, { ok: true, result: applyCommand(this.o.target, cmd) ?? null });
        this.record(ack);
        if (name === 'campaign_submit') this.countCampaign();
        return ack;
      });
    } catch (e) {
      // A refusal (unknown agent, a limit…) rolled the input back; the
      // answer is remembered like a success, so a repeat gets the same one.
      if (!(e instanceof CodedError) || String(e.code).startsWith('STORE_')) throw e;
      const code = String(e.code);
      const ack = this.ack(id, name, { ok: false, error: { code, message: e.message } });
      this.o.runInput(`cloud ${name} refused`, () => this.record(ack));
      return ack;
    }
  }

  private record(ack: AckPayload): void {
    this.o.ledger.put({ id: ack.id ?? '', kind: ack.command, receivedAt: ack.at, ack: JSON.stringify(ack) });
  }

  private checkLimits(cmd: Command): void {
    if (cmd.name !== 'campaign_submit') return;
    const { limits } = this.o;
    const n = cmd.args.campaign.targets.length;
    if (n > limits.campaignTargets) throw new CommandError('COMMAND_LIMIT', `a campaign from the cloud may have at most ${limits.campaignTargets} targets; this one has ${n}`, cmd.args.id, cmd.name);
    if (this.campaignsToday() >= limits.campaignsPerDay) {
      throw new CommandError('COMMAND_LIMIT', `the cloud may submit at most ${limits.campaignsPerDay} campaigns a day; today's are used up`, cmd.args.id, cmd.name);
    }
  }

  private dayKey(): string {
    return `sync:campaigns:${localParts(this.o.clock.now(), this.o.timeZone).date}`;
  }

  private campaignsToday(): number {
    return Number(this.o.ledger.getMeta(this.dayKey()) ?? '0');
  }

  private countCampaign(): void {
    this.o.ledger.setMeta(this.dayKey(), String(this.campaignsToday() + 1));
  }

  private ack(id: string | null, command: string, rest: Pick<AckPayload, 'ok' | 'result' | 'error'>): AckPayload {
    const { tenant, site, unit } = this.o.address;
    return { v: PAYLOAD_VERSION, unit: `${tenant}/${site}/${unit}`, id, command, ...rest, at: this.o.clock.now() };
  }

  private answer(ack: AckPayload, m: InboundMessage): void {
    const payload = JSON.stringify(ack);
    const sent = (p: Promise<void>): void => {
      // A lost answer is not lost for good: the cloud sends the id again and gets it repeated.
      p.catch((e: unknown) => this.log.warn({ id: ack.id, err: String(e) }, 'command answer not delivered'));
    };
    sent(this.o.link.publish(this.o.topics.ack, payload, { qos: 1 }));
    if (m.responseTopic) sent(this.o.link.publish(m.responseTopic, payload, { qos: 1, ...(m.correlationData ? { correlationData: m.correlationData } : {}) }));
  }
}

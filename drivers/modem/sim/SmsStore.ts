import { buildDeliverPdu, buildStatusReportPdu, parseSubmitPdu } from './pdu.ts';

/** A message the host sent with AT+CMGS, as recorded for assertions. */
export type SentSms =
  | { mode: 'text'; number: string; text: string; mr: number }
  /** PDU mode: the hex as sent, the `<length>` argument, and number/text when the PDU parsed. */
  | { mode: 'pdu'; length: number; pdu: string; number: string | null; text: string | null; mr: number };

/** A received message in SM storage. */
export interface StoredSms {
  index: number;
  /** 27.005 `<stat>`: 0 received unread, 1 received read. */
  stat: 0 | 1;
  from: string;
  text: string;
  at: number;
  /** Set when this entry is a status report (after `+CDSI`), not a message: its PDU is an SMS-STATUS-REPORT. */
  report?: { mr: number; to: string; status: number; submittedAt: number };
}

/** Capacity of SM storage: a typical SIM holds 30 (answered in AT+CPMS). */
export const SM_CAPACITY = 30;

/**
 * The fake modem's SMS memory ("SM") and its outbox log. Indices are the
 * lowest free slot from 1, as SIMs allocate them.
 */
export class SmsStore {
  readonly sent: SentSms[] = [];
  private readonly messages = new Map<number, StoredSms>();
  private mr = 0;
  /** A scripted failure for the next send: the `+CMS ERROR: <n>` code. */
  failNextSend: number | null = null;
  /**
   * Status reports for PDU sends that ask for one (TP-SRR), if the host's
   * AT+CNMI `<ds>` routes them (1: `+CDS`, 2: stored, `+CDSI`): `afterMs`
   * after the `+CMGS`, with TP-ST `status` (0 delivered). null (default): none.
   */
  statusReports: { afterMs: number; status: number } | null = null;

  constructor(
    readonly smsc: string,
    private readonly now: () => number,
  ) {}

  get used(): number {
    return this.messages.size;
  }

  deliver(m: { from: string; text: string }): number {
    let index = 1;
    while (this.messages.has(index)) index++;
    this.messages.set(index, { index, stat: 0, from: m.from, text: m.text, at: this.now() });
    return index;
  }

  /** Store a status report as SM storage keeps one after `+CDSI`; returns its index. */
  storeReport(r: { mr: number; to: string; status: number; submittedAt: number }): number {
    let index = 1;
    while (this.messages.has(index)) index++;
    this.messages.set(index, { index, stat: 0, from: '', text: '', at: this.now(), report: r });
    return index;
  }

  get(index: number): StoredSms | undefined {
    return this.messages.get(index);
  }

  list(): StoredSms[] {
    return [...this.messages.values()].sort((a, b) => a.index - b.index);
  }

  delete(index: number): boolean {
    return this.messages.delete(index);
  }

  deleteAll(): void {
    this.messages.clear();
  }

  /** Record a sent message; returns its TP-MR (0–255), or a CMS error code when a failure was scripted. */
  recordText(number: string, text: string): { mr: number } | { cms: number } {
    const fail = this.takeFailure();
    if (fail !== null) return { cms: fail };
    const mr = this.nextMr();
    this.sent.push({ mode: 'text', number, text, mr });
    return { mr };
  }

  recordPdu(length: number, pdu: string): { mr: number } | { cms: number } {
    const fail = this.takeFailure();
    if (fail !== null) return { cms: fail };
    const parsed = parseSubmitPdu(pdu);
    if (!parsed) return { cms: 304 }; // 27.005 §3.2.5: invalid PDU mode parameter
    const mr = this.nextMr();
    this.sent.push({ mode: 'pdu', length, pdu: pdu.toUpperCase(), number: parsed.number, text: parsed.text, mr });
    return { mr };
  }

  /** The SMS-DELIVER PDU of a stored message (with SMSC) and its TPDU length. */
  pduOf(m: StoredSms): { hex: string; tpduLength: number } {
    if (m.report) return buildStatusReportPdu({ smsc: this.smsc, ...m.report, dischargedAt: m.at });
    return buildDeliverPdu({ smsc: this.smsc, from: m.from, text: m.text, at: m.at });
  }

  private takeFailure(): number | null {
    const f = this.failNextSend;
    this.failNextSend = null;
    return f;
  }

  private nextMr(): number {
    this.mr = (this.mr + 1) % 256;
    return this.mr;
  }
}

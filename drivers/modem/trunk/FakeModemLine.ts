import { EventEmitter } from 'node:events';
import { CcgateError } from '../../../gateway/core/errors.ts';
import type { PromptRef } from '../../../gateway/trunk/TrunkPort.ts';
import type { FailureReason } from '../session/AtCommand.ts';
import type { FakeModemSms } from './FakeModemSms.ts';
import type { LineHealth, ModemLine, ModemLineEvents } from './ModemLine.ts';

type Method = 'answer' | 'hangupAll' | 'dial' | 'hold' | 'retrieve' | 'release' | 'conference' | 'transfer' | 'rejectWaiting' | 'refreshCalls' | 'startAudio' | 'endAudio';

/**
 * An in-process ModemLine for unit tests of ModemTrunk: records every call,
 * succeeds unless told to fail, and lets the test play the modem's events.
 * Prompts finish when the test calls `finishPlay()`.
 */
export class FakeModemLine extends EventEmitter<ModemLineEvents> implements ModemLine {
  readonly log: string[] = [];
  private h: LineHealth = { up: true, canDial: true, detail: 'registered' };
  private readonly failures = new Map<Method, FailureReason>();
  private calls = 0;
  private playing: Array<{ prompt: string; resolve: () => void }> = [];

  /** Calls the fake modem lists: rung in or dialled, until ended (or forgotten, or hung up). */
  private readonly listed = new Set<string>();
  lastLoss: ModemLine['lastLoss'] = null;
  /** SMS on this line, when a test gives it one (a FakeModemSms). */
  sms?: FakeModemSms;
  /** Make answer() wait (an ATA queued behind a paused queue) until its signal aborts it. */
  holdAnswer = false;

  constructor(readonly id = 'gsm1') {
    super();
    this.on('incoming', (callId) => this.listed.add(callId));
    this.on('ended', (callId) => this.listed.delete(callId));
  }

  hasCall(callId: string): boolean {
    return this.listed.has(callId);
  }

  /** The modem stops listing the call without an `ended` event (the driver lost track of it). */
  forgetCall(callId: string): void {
    this.listed.delete(callId);
  }

  health(): LineHealth {
    return this.h;
  }

  setHealth(h: Partial<LineHealth>): void {
    this.h = { ...this.h, ...h };
    this.emit('health', this.h);
  }

  /** The next call of `method` rejects like the session would with this reason. */
  failNext(method: Method, reason: FailureReason): void {
    this.failures.set(method, reason);
  }

  private async op(method: Method, detail = ''): Promise<void> {
    this.log.push(detail ? `${method} ${detail}` : method);
    const reason = this.failures.get(method);
    if (reason) {
      this.failures.delete(method);
      throw Object.assign(new CcgateError('AT_ERROR', `${method} failed: ${reason}`, { reason }), { reason });
    }
  }

  answer(callId: string, signal?: AbortSignal): Promise<void> {
    if (!this.holdAnswer) return this.op('answer', callId);
    this.log.push(`answer ${callId}`);
    return new Promise((_resolve, reject) => {
      signal?.addEventListener('abort', () => {
        this.log.push(`abort answer ${callId}`);
        reject(Object.assign(new CcgateError('AT_ABORTED', 'ATA aborted', { reason: 'aborted' }), { reason: 'aborted' }));
      });
    });
  }
  async hangupAll(): Promise<void> {
    await this.op('hangupAll');
    this.listed.clear();
  }
  async dial(number: string): Promise<string> {
    await this.op('dial', number);
    const callId = `c${++this.calls}`;
    this.listed.add(callId);
    return callId;
  }
  hold(): Promise<void> {
    return this.op('hold');
  }
  retrieve(): Promise<void> {
    return this.op('retrieve');
  }
  release(callId: string): Promise<void> {
    return this.op('release', callId);
  }
  conference(): Promise<void> {
    return this.op('conference');
  }
  transfer(): Promise<void> {
    return this.op('transfer');
  }
  rejectWaiting(): Promise<void> {
    return this.op('rejectWaiting');
  }
  /** Resolves when the test calls `answerRefresh()` (so a test can end calls "during" the query). */
  refreshCalls(): Promise<void> {
    this.log.push('refreshCalls');
    if (!this.holdRefresh) return Promise.resolve();
    return new Promise((resolve) => this.refreshWaiters.push(resolve));
  }
  /** Make refreshCalls() wait until answerRefresh(). */
  holdRefresh = false;
  private refreshWaiters: Array<() => void> = [];
  answerRefresh(): void {
    for (const r of this.refreshWaiters.splice(0)) r();
  }
  startAudio(callId: string): Promise<void> {
    return this.op('startAudio', callId);
  }
  endAudio(): Promise<void> {
    return this.op('endAudio');
  }

  play(prompt: PromptRef, signal: AbortSignal): Promise<void> {
    this.log.push(`play ${prompt.id}`);
    return new Promise((resolve) => {
      const entry = { prompt: prompt.id, resolve };
      this.playing.push(entry);
      signal.addEventListener('abort', () => {
        this.playing = this.playing.filter((p) => p !== entry);
        this.log.push(`abort ${prompt.id}`);
        resolve();
      });
    });
  }

  /** The playing prompt(s) reached their end. */
  finishPlay(): void {
    const done = this.playing.splice(0);
    for (const p of done) p.resolve();
  }

  /** The next call id dial() will return. */
  nextCallId(): string {
    return `c${this.calls + 1}`;
  }
}

/** What the queue needs to know about an entry. */
export interface Prioritised {
  readonly priority: 'urgent' | 'normal';
}

/**
 * Pending AT commands of one modem, FIFO within a priority; 'urgent'
 * (hang-up, CLCC: chan_dongle `at_queue_insert(..., athead)`) go before every
 * 'normal' entry but never before the one already in flight, which is not in
 * this queue.
 */
export class CommandQueue<T extends Prioritised> {
  private readonly urgent: T[] = [];
  private readonly normal: T[] = [];

  push(entry: T): void {
    (entry.priority === 'urgent' ? this.urgent : this.normal).push(entry);
  }

  /** Put back at the head of its priority class (a command interrupted before it ran). */
  unshift(entry: T): void {
    (entry.priority === 'urgent' ? this.urgent : this.normal).unshift(entry);
  }

  /** Take the next entry that passes `accept` (default: any), urgent first. */
  shift(accept: (e: T) => boolean = () => true): T | undefined {
    for (const list of [this.urgent, this.normal]) {
      const i = list.findIndex(accept);
      if (i >= 0) return list.splice(i, 1)[0];
    }
    return undefined;
  }

  /** Remove one entry (its caller aborted); false if it was not queued. */
  remove(entry: T): boolean {
    for (const list of [this.urgent, this.normal]) {
      const i = list.indexOf(entry);
      if (i >= 0) {
        list.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  /** Remove and return everything, in queue order. */
  drain(): T[] {
    return [...this.urgent.splice(0), ...this.normal.splice(0)];
  }

  get length(): number {
    return this.urgent.length + this.normal.length;
  }
}

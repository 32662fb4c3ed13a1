/**
 * A FakeI2cBus with an HT16K33 at each address: every acknowledged write is
 * applied to that chip. Unplugging an address makes it NACK; plugging it
 * back powers the chip up fresh (garbage RAM, display off), as a re-seated
 * backpack would.
 */
import { FakeI2cBus } from '../../bus/FakeI2cBus.ts';
import { Ht16k33Chip } from './Ht16k33Chip.ts';

export class SimulatedHt16k33Bus extends FakeI2cBus {
  readonly chips = new Map<number, Ht16k33Chip>();

  constructor(addresses: readonly number[], name = 'i2c-sim') {
    super(name);
    for (const a of addresses) this.chips.set(a, new Ht16k33Chip());
    this.onWrite((address, bytes) => this.chips.get(address)?.apply(bytes));
  }

  unplug(address: number): void {
    this.setPresent(address, false);
  }

  plug(address: number): void {
    this.chips.get(address)?.powerCycle();
    this.setPresent(address, true);
  }

  chipsInOrder(addresses: readonly number[]): Ht16k33Chip[] {
    return addresses.map((a) => this.chips.get(a) ?? new Ht16k33Chip());
  }
}

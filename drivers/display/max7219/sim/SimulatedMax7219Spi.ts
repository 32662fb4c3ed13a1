/** A FakeSpiDevice wired to a simulated MAX7219 chain: every completed window is shifted in and latched. */
import { FakeSpiDevice } from '../../bus/FakeSpiDevice.ts';
import { Max7219Chain } from './Max7219Chain.ts';

export class SimulatedMax7219Spi extends FakeSpiDevice {
  readonly chain: Max7219Chain;

  constructor(length: number, name = 'spidev-sim') {
    super(name);
    this.chain = new Max7219Chain(length);
    this.onTransfer((bytes) => this.chain.window(bytes));
  }
}

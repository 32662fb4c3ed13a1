/** MAX7219 chains: what the composition root and tools import. */
export { Max7219Display, MATRIX_CAPACITY, type Max7219DisplayOptions } from './Max7219Display.ts';
export { openMax7219Display, max7219Connection, type Max7219Deps } from './openMax7219Display.ts';
export { simulateMax7219Display, type SimulatedMax7219 } from './simulateMax7219Display.ts';
export { SimulatedMax7219Spi } from './sim/SimulatedMax7219Spi.ts';
export { Max7219Chain } from './sim/Max7219Chain.ts';

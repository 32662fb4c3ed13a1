/** HT16K33 LED backpack boards: what the composition root and tools import. */
export { Ht16k33Display, MATRIX_CAPACITY, type Ht16k33DisplayOptions } from './Ht16k33Display.ts';
export { openHt16k33Display, ht16k33Connection, type Ht16k33Deps } from './openHt16k33Display.ts';
export { simulateHt16k33Display, type SimulatedHt16k33 } from './simulateHt16k33Display.ts';
export { SimulatedHt16k33Bus } from './sim/SimulatedHt16k33Bus.ts';
export { Ht16k33Chip } from './sim/Ht16k33Chip.ts';

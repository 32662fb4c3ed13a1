/**
 * What a board shows, as a picture: an LED board's view is replayed through
 * its driver onto the driver's simulator (so the preview is exactly what the
 * hardware receives, decoded), a web board's view is drawn as lines of text.
 */
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { silentLogger } from '../../gateway/core/Logger.ts';
import type { Bitmap } from '../../wallboard/bitmap/Bitmap.ts';
import type { BoardConfig } from '../../wallboard/config/BoardConfig.ts';
import type { BoardView } from '../../wallboard/model/BoardView.ts';
import { renderTiles } from '../../wallboard/preview/renderTiles.ts';
import { loadUnifont } from '../../wallboard/text/unifont.ts';
import { hardwareDisplay, isSimulated } from './displays.ts';

export async function previewBoard(board: BoardConfig, view: BoardView): Promise<Bitmap> {
  if (board.kind === 'web') return renderTiles(view, loadUnifont());
  // A private virtual clock: scrolling and blinking stay where the view starts, and no timer outlives the preview.
  const clock = new FakeClock(view.at);
  const sim = await hardwareDisplay(board, { clock, logger: silentLogger }, true);
  if (!isSimulated(sim)) throw new Error('a simulated display was expected');
  const settle = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
    if ('settled' in sim.display && typeof sim.display.settled === 'function') await (sim.display.settled as () => Promise<void>)();
  };
  await sim.display.open();
  await sim.display.show(view);
  await settle();
  // Scrolling text enters from the edge: let it come in before taking the picture.
  for (let waited = 0; !lit(sim.render()) && waited < 10_000; waited += 100) {
    clock.advance(100);
    await settle();
  }
  const c = board.connection;
  const columns = c.kind === 'max7219' && c.variant === 'matrix8x8' ? c.chain * 8 : c.kind === 'ht16k33' && c.variant === 'matrix8x8' ? c.addresses.length * 8 : 0;
  // …until it fills the board (matrices scroll about 20 columns a second).
  for (let step = 0; step < columns; step++) {
    clock.advance(50);
    await settle();
  }
  const picture = sim.render();
  await sim.display.close();
  return picture;
}

function lit(b: Bitmap): boolean {
  return b.data.some((c) => c !== 0);
}

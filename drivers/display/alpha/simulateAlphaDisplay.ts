import type { Bitmap } from '../../../wallboard/bitmap/Bitmap.ts';
import type { BoardConfig } from '../../../wallboard/config/BoardConfig.ts';
import { AlphaDisplay } from './AlphaDisplay.ts';
import { alphaConnection, type AlphaDeps } from './openAlphaDisplay.ts';
import { AlphaSignSimulator } from './sim/AlphaSignSimulator.ts';
import { signSpecOf } from './sign/SignSpec.ts';
import { unifontLabelRenderer } from './sign/unifontRenderer.ts';
import { MemorySignPort } from './transport/MemorySignPort.ts';

export interface SimulatedAlpha {
  display: AlphaDisplay;
  simulator: AlphaSignSimulator;
  /** What the sign shows now, rows × columns. */
  render(): Bitmap;
  /** Bytes written to the sign so far. */
  bytes(): number;
  /** The in-process port: `unplug()` / `replug()` to rehearse a lost adapter. */
  port: MemorySignPort;
}

/** An Alpha board driving a simulated sign in the same process (previews, the demo, tests). */
export function simulateAlphaDisplay(board: BoardConfig, deps: Omit<AlphaDeps, 'serialPort'>): SimulatedAlpha {
  const c = alphaConnection(board);
  const simulator = new AlphaSignSimulator({ rows: c.rows, columns: c.columns, typeCode: c.typeCode, address: c.address });
  const port = new MemorySignPort((b) => simulator.feed(b));
  const display = new AlphaDisplay(board, {
    clock: deps.clock,
    logger: deps.logger,
    port,
    sign: signSpecOf(c),
    render: deps.render === undefined ? unifontLabelRenderer() : deps.render,
    ...(deps.options ? { options: deps.options } : {}),
  });
  return { display, simulator, port, render: () => simulator.render(), bytes: () => simulator.bytesReceived };
}

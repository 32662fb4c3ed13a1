/**
 * `ccgate wallboard preview [--board ID] [--png DIR]`: what every configured
 * board of a running daemon (or `ccgate demo`) shows right now, drawn in the
 * terminal and, with --png, written as one PNG per board.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toPng } from '../../wallboard/bitmap/png.ts';
import { toTerminal } from '../../wallboard/bitmap/terminal.ts';
import type { BoardView } from '../../wallboard/model/BoardView.ts';
import type { BoardStatus } from '../../wallboard/runtime/WallboardRuntime.ts';
import { cell, level } from '../view/text.ts';
import { previewBoard } from '../wallboard/preview.ts';
import { parse, SOCKET, str, type CommandEnv } from './args.ts';
import { UsageError } from './usage.ts';

function where(b: BoardStatus): string {
  const c = b.config.connection;
  switch (c.kind) {
    case 'alpha':
      return `${c.port} address ${c.address}, ${c.rows}×${c.columns}`;
    case 'ht16k33':
      return `i2c-${c.bus} ${c.addresses.map((a) => '0x' + a.toString(16)).join(',')} ${c.variant}`;
    case 'max7219':
      return `spidev${c.spiBus}.${c.spiDevice} ×${c.chain} ${c.variant}`;
    case 'web':
      return `/board/${c.path}`;
  }
}

function webLines(v: BoardView, color: boolean): string {
  const head = `  ${v.title} · ${v.date} ${v.time}${v.state === 'placeholder' ? ' · no live figures' : ''}`;
  const items = v.items.map((i) => `  ${cell(i.label, 22)} ${level(cell(i.value, 8, 'right'), i.level, color)}${i.stale ? ' (stale)' : ''}`);
  const message = v.message ? [`  message: ${v.message.text}${v.message.level === 'critical' ? ' (critical)' : ''}`] : [];
  return [head, ...items, ...message].join('\n');
}

export async function wallboardCommand(args: string[], env: CommandEnv): Promise<number> {
  const command = 'wallboard';
  const { values, positionals } = parse(command, args, { board: { type: 'string' }, png: { type: 'string' }, ...SOCKET }, 1);
  if (positionals[0] !== 'preview') throw new UsageError(`expected an action (preview), got ${JSON.stringify(positionals[0] ?? '')}`, command);
  const only = str(values.board);
  const pngDir = str(values.png);
  const boards = (await env.client(values).wallboard()).filter((b) => only === undefined || b.id === only);
  if (boards.length === 0) {
    env.io.err(only === undefined ? 'no boards are configured on this daemon (wallboard.boards in the config)\n' : `no board '${only}' on this daemon\n`);
    return 1;
  }
  if (pngDir) mkdirSync(env.path(pngDir), { recursive: true });
  const color = env.io.columns !== undefined;
  for (const b of boards) {
    const health = b.ok ? 'ok' : `NOT OK: ${b.detail}`;
    env.io.out(`${b.id} · ${b.kind} · ${where(b)} · ${b.config.lang} · ${health} · ${b.bytesWritten} bytes sent\n`);
    if (!b.view) {
      env.io.out('  (nothing shown yet)\n\n');
      continue;
    }
    const picture = await previewBoard(b.config, b.view);
    // A web page is wider than a terminal: its figures as lines; the PNG has the picture.
    env.io.out((b.kind === 'web' ? webLines(b.view, color) : toTerminal(picture, { color })) + '\n');
    if (pngDir) {
      const file = join(env.path(pngDir), `${b.id}.png`);
      writeFileSync(file, toPng(picture, { scale: b.kind === 'web' ? 2 : 6, dots: b.kind !== 'web' }));
      env.io.out(`  ${file}\n`);
    }
    env.io.out('\n');
  }
  return 0;
}

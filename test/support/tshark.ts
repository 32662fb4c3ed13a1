/**
 * Wireshark's dissectors as an independent decoder of the frames the E1 stack
 * sends (Debian package `tshark`, with `text2pcap`): frames go into one pcap
 * of LAPD (link type 203), tshark prints the asked fields per frame. Tests
 * using it are skipped, with the reason, where tshark is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tsharkMissing(): string | null {
  for (const tool of ['tshark', 'text2pcap']) if (spawnSync(tool, ['-v']).error) return `${tool} is not installed (apt-get install tshark)`;
  return null;
}

/** An offset hex dump text2pcap reads: one frame per `0000` line run, 16 octets a line. */
function hexDump(frames: readonly Uint8Array[]): string {
  const lines: string[] = [];
  for (const f of frames) {
    for (let at = 0; at < f.length; at += 16) {
      const bytes = [...f.subarray(at, at + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
      lines.push(`${at.toString(16).padStart(4, '0')}  ${bytes}`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * Decode LAPD frames (address, control, information) with tshark; one record
 * per frame with each field's text (empty fields left out). `_ws.malformed`
 * and `_ws.expert.message` are always asked for.
 */
export function decodeWithTshark(frames: readonly Uint8Array[], fields: readonly string[]): Array<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'ccgate-tshark-'));
  try {
    const txt = join(dir, 'frames.txt');
    const pcap = join(dir, 'frames.pcap');
    writeFileSync(txt, hexDump(frames));
    const t2p = spawnSync('text2pcap', ['-q', '-l', '203', txt, pcap], { encoding: 'utf8' });
    if (t2p.status !== 0) throw new Error(`text2pcap failed: ${t2p.stderr}`);
    const all = [...fields, '_ws.malformed', '_ws.expert.message'];
    const r = spawnSync('tshark', ['-r', pcap, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', ...all.flatMap((f) => ['-e', f])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
    // stdout only: tshark writes "Running as user root" and the like on stderr.
    const rows = r.stdout.split('\n').filter((l) => l !== '');
    return rows.map((row) => {
      const values = row.split('\t');
      const rec: Record<string, string> = {};
      all.forEach((f, i) => {
        if (values[i]) rec[f] = values[i]!;
      });
      return rec;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Server-sent events encoder (WHATWG HTML §9.2) for the web board streams.
 * The local API's stream (firmware/api/sse.ts) uses it too: wallboard/ may
 * not import the program, the program may import wallboard/.
 */

/** Encode one message; data lines are split so an embedded newline cannot end the message early. */
export function encodeSse(msg: { event?: string; id?: string | number; data: string }): string {
  let out = '';
  if (msg.event !== undefined) out += `event: ${msg.event}\n`;
  if (msg.id !== undefined) out += `id: ${msg.id}\n`;
  for (const line of msg.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return out + '\n';
}

/** "GPIO17" → 17: the Broadcom numbering the Pi's header names its lines by; null for any other name. */
export function bcmNumber(name: string): number | null {
  const m = /^GPIO(\d{1,2})$/.exec(name);
  return m ? Number(m[1]) : null;
}

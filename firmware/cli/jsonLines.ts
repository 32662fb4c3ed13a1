/**
 * Line numbers of the elements of a top-level JSON array, so a problem with
 * element 1234 can be reported as `targets.json:1236`. JSON.parse gives no
 * positions, so this scans the (already valid) text once: strings are
 * skipped with their escapes and only depth-1 commas start a new element.
 */
export function jsonElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (expectElement && !(depth === 1 && c === ']')) {
      lines.push(line);
      expectElement = false;
    }
    if (c === '"') {
      // Skip the string; JSON strings cannot contain a raw newline.
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1 && c === '[') expectElement = true;
    } else if (c === ']' || c === '}') {
      depth--;
    } else if (c === ',' && depth === 1) {
      expectElement = true;
    }
  }
  return lines;
}

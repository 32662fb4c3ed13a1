/**
 * Minimal RFC 4180 CSV reader for campaign target lists: comma separated,
 * fields optionally in double quotes, `""` for a quote inside a quoted field,
 * quoted fields may contain commas and line breaks; CRLF, LF or CR line ends.
 * Pure: no I/O.
 */

/** One record with the 1-based line it starts on (for error messages). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A syntax error at a 1-based line. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Split `text` into records. Blank lines are skipped (spreadsheets append
 * them). A leading BOM must be removed by the caller.
 * @throws CsvSyntaxError on an unterminated quote or text after a closing quote.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let value = '';
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) throw new CsvSyntaxError(quoteLine, 'a quoted field is never closed (missing ")');
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          value += c;
          i++;
        }
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new CsvSyntaxError(line, `unexpected text after a closing quote: ${JSON.stringify(text.slice(i, i + 10))} (write a quote inside a quoted field as "")`);
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
      }
      fields.push(value);
      const sep = text[i];
      if (sep === ',') {
        i++;
      } else {
        // Line end (CRLF, LF or CR) or end of text.
        if (sep === '\r' && text[i + 1] === '\n') i += 2;
        else if (sep !== undefined) i++;
        if (sep !== undefined) line++;
        endOfRecord = true;
      }
    }
    if (!(fields.length === 1 && fields[0]!.trim() === '')) records.push({ line: startLine, fields });
  }
  return records;
}

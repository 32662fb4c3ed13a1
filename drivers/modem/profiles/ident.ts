import type { ModemIdent } from './ModemProfile.ts';

/**
 * All identification fields as one string, so a pattern matches whether the
 * name came from AT+CGMI/AT+CGMM or from an ATI block that puts
 * "Manufacturer: … Model: …" on one answer.
 */
export function identText(ident: ModemIdent): string {
  return [ident.manufacturer, ident.model, ident.revision ?? ''].join('\n');
}

/** True when any pattern matches any identification field. Patterns should carry the `i` flag. */
export function identMatches(ident: ModemIdent, ...patterns: RegExp[]): boolean {
  const text = identText(ident);
  return patterns.some((p) => p.test(text));
}

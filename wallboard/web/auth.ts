import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The web board's optional shared token: `?token=` in the URL (a TV browser
 * can only open a URL; EventSource cannot set headers) or
 * `Authorization: Bearer <token>` (RFC 6750 §2.1, for monitoring tools).
 */

/** The token the request presents, or null. */
export function presentedToken(req: IncomingMessage, url: URL): string | null {
  const q = url.searchParams.get('token');
  if (q !== null) return q;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1] ?? null;
}

/** Compare in constant time (hashing first makes the lengths equal), so response timing does not reveal the token. */
export function tokenMatches(presented: string | null, expected: string): boolean {
  if (presented === null) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

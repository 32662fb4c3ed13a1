import { describe, expect, it } from 'vitest';
import { classifyLinkError, isProtocolVersionRefusal } from './linkErrors.ts';
import type { LinkDownReason } from './SyncLink.ts';

describe('classifyLinkError', () => {
  const sys = (code: string, message = code): Error => Object.assign(new Error(message), { code });
  const connack = (code: number): Error => Object.assign(new Error(`Connection refused: ${code}`), { code });

  it.each<[string, Error, LinkDownReason]>([
    ['ECONNREFUSED', sys('ECONNREFUSED'), 'refused'],
    ['ENOTFOUND', sys('ENOTFOUND'), 'unreachable'],
    ['EHOSTUNREACH', sys('EHOSTUNREACH'), 'unreachable'],
    ['ETIMEDOUT', sys('ETIMEDOUT'), 'unreachable'],
    ['connack timeout', new Error('connack timeout'), 'unreachable'],
    ['unknown CA alert', sys('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'), 'tls'],
    ['untrusted server certificate', sys('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls'],
    ['host name mismatch', sys('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls'],
    ['expired certificate', sys('CERT_HAS_EXPIRED'), 'tls'],
    ['certificate not yet valid', sys('CERT_NOT_YET_VALID'), 'clockBehindCertificate'],
    ['v3 bad user name or password', connack(4), 'notAuthorized'],
    ['v3 not authorized', connack(5), 'notAuthorized'],
    ['v5 bad user name or password', connack(0x86), 'notAuthorized'],
    ['v5 not authorized', connack(0x87), 'notAuthorized'],
    ['v3 unacceptable protocol version', connack(1), 'protocol'],
    ['v5 unsupported protocol version', connack(0x84), 'protocol'],
    ['v5 server shutting down', connack(0x8b), 'closed'],
    ['ECONNRESET', sys('ECONNRESET'), 'closed'],
    ['anything else', new Error('boom'), 'closed'],
  ])('%s → %s', (_name, err, reason) => {
    expect(classifyLinkError(err).reason).toBe(reason);
  });

  it("a certificate not yet valid says the unit's clock is behind and that it keeps retrying", () => {
    const { detail } = classifyLinkError(sys('CERT_NOT_YET_VALID', 'certificate is not yet valid'), Date.UTC(2024, 0, 1));
    expect(detail).toContain("unit's clock (2024-01-01T00:00:00.000Z) is behind");
    expect(detail).toContain('retrying');
  });

  it('only a protocol-version refusal triggers the 3.1.1 fallback', () => {
    expect(isProtocolVersionRefusal(connack(1))).toBe(true);
    expect(isProtocolVersionRefusal(connack(0x84))).toBe(true);
    expect(isProtocolVersionRefusal(connack(5))).toBe(false);
    expect(isProtocolVersionRefusal(sys('ECONNREFUSED'))).toBe(false);
  });
});

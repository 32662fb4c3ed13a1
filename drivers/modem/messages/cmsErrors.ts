/**
 * `+CMS ERROR: <err>` codes, 3GPP TS 27.005 §3.2.5. 0–127 are RP causes
 * (TS 24.011 §E.2), 128–255 TP-Failure-Cause values (TS 23.040 §9.2.3.22),
 * 300–340 the ME/TA errors, 500 unknown, 512 and up manufacturer specific.
 */
export const CMS_ERRORS: Readonly<Record<number, string>> = {
  // TS 24.011 §E.2 RP-cause (network side, usually on send).
  1: 'unassigned (unallocated) number',
  8: 'operator determined barring',
  10: 'call barred',
  21: 'short message transfer rejected',
  27: 'destination out of service',
  28: 'unidentified subscriber',
  29: 'facility rejected',
  30: 'unknown subscriber',
  38: 'network out of order',
  41: 'temporary failure',
  42: 'congestion',
  47: 'resources unavailable, unspecified',
  50: 'requested facility not subscribed',
  69: 'requested facility not implemented',
  81: 'invalid short message transfer reference value',
  95: 'invalid message, unspecified',
  96: 'invalid mandatory information',
  97: 'message type non-existent or not implemented',
  98: 'message not compatible with short message protocol state',
  99: 'information element non-existent or not implemented',
  111: 'protocol error, unspecified',
  127: 'interworking, unspecified',
  // TS 23.040 §9.2.3.22 TP-Failure-Cause.
  128: 'telematic interworking not supported',
  129: 'short message type 0 not supported',
  130: 'cannot replace short message',
  143: 'unspecified TP-PID error',
  144: 'data coding scheme (alphabet) not supported',
  145: 'message class not supported',
  159: 'unspecified TP-DCS error',
  160: 'command cannot be actioned',
  161: 'command unsupported',
  175: 'unspecified TP-Command error',
  176: 'TPDU not supported',
  192: 'SC busy',
  193: 'no SC subscription',
  194: 'SC system failure',
  195: 'invalid SME address',
  196: 'destination SME barred',
  197: 'SM rejected - duplicate SM',
  198: 'TP-VPF not supported',
  199: 'TP-VP not supported',
  208: 'SIM SMS storage full',
  209: 'no SMS storage capability in SIM',
  210: 'error in MS',
  211: 'memory capacity exceeded',
  212: 'SIM application toolkit busy',
  213: 'SIM data download error',
  255: 'unspecified error cause',
  // TS 27.005 §3.2.5 ME/TA errors.
  300: 'ME failure',
  301: 'SMS service of ME reserved',
  302: 'operation not allowed',
  303: 'operation not supported',
  304: 'invalid PDU mode parameter',
  305: 'invalid text mode parameter',
  310: 'SIM not inserted',
  311: 'SIM PIN required',
  312: 'PH-SIM PIN required',
  313: 'SIM failure',
  314: 'SIM busy',
  315: 'SIM wrong',
  316: 'SIM PUK required',
  317: 'SIM PIN2 required',
  318: 'SIM PUK2 required',
  320: 'memory failure',
  321: 'invalid memory index',
  322: 'memory full',
  330: 'SMSC address unknown',
  331: 'no network service',
  332: 'network timeout',
  340: 'no +CNMA acknowledgement expected',
  500: 'unknown error',
};

/** Text for a code the table does not list, by its 27.005 §3.2.5 range. */
export function cmsRangeText(code: number): string {
  if (code >= 0 && code <= 127) return `network (RP) cause ${code}, TS 24.011 §E.2`;
  if (code >= 128 && code <= 255) return `TP-Failure-Cause ${code}, TS 23.040 §9.2.3.22`;
  if (code >= 512) return `manufacturer-specific error ${code}`;
  return `reserved error ${code}`;
}

/** CMS codes worth a retry with back-off: (U)SIM busy (the SMS twin of CME 14). */
export const CMS_RETRYABLE: ReadonlySet<number> = new Set([314]);

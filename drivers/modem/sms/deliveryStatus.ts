/**
 * What a status report's TP-ST (3GPP TS 23.040 §9.2.3.15) means for the
 * sender: 0x00–0x1F the transaction is complete (0x00 received by the
 * recipient, 0x01 forwarded but unconfirmed, 0x02 replaced — all delivered as
 * far as the network will ever say); 0x20–0x3F the service centre is still
 * trying (congestion, recipient busy or absent); 0x40 and above it gave up
 * (permanent error, or temporary error and no more attempts).
 */
export type DeliveryStatus = 'delivered' | 'pending' | 'failed';

export function deliveryStatusOf(tpSt: number): DeliveryStatus {
  if (tpSt <= 0x1f) return 'delivered';
  if (tpSt <= 0x3f) return 'pending';
  return 'failed';
}

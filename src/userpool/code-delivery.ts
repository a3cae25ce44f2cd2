// CodeDeliveryDetails: where a code went, masked as Cognito shows it.

/** `t***@d***` — how Cognito shows where a code went. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}

export function codeDeliveryDetails(email: string): { Destination: string; DeliveryMedium: 'EMAIL'; AttributeName: 'email' } {
  return { Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}

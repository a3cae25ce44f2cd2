// CodeDeliveryDetails: where a code went, masked as Cognito shows it.

/** `t***@d***` — how Cognito shows where a code went. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  // The first code point, not the first UTF-16 unit: charAt(0) split 🍣 into half a surrogate pair.
  const first = (text: string) => String.fromCodePoint(text.codePointAt(0) ?? 0x3f);
  return `${local ? first(local) : ''}***@${domain ? first(domain) : ''}***`;
}

export function codeDeliveryDetails(email: string): { Destination: string; DeliveryMedium: 'EMAIL'; AttributeName: 'email' } {
  return { Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}

// Rakuten Mobile (rakumail.jp): no published sender policy was found. The rules below are
// best practice — what a receiver applying SPF, DKIM and DMARC as the RFCs intend would do —
// not Rakuten's stated behaviour.
import type { ReceiverProfile } from './profile.js';
import { dmarcPolicyRules, SPF_OR_DKIM } from './profile.js';

export const rakuten: ReceiverProfile = {
  id: 'rakuten',
  name: 'Rakuten Mobile',
  published: false,
  sources: ['no published sender policy (CARRIERS.md); best practice: RFC 7208, RFC 6376, RFC 7489 §6.6'],
  rules: [
    {
      when: SPF_OR_DKIM,
      verdict: 'spam',
      because: 'best practice (no published policy): unauthenticated mail — neither SPF nor DKIM passes',
      explainedBy: ['spf.mailfrom.present', 'dkim.record'],
    },
    ...dmarcPolicyRules('spam', 'reject', 'best practice, RFC 7489 §6.6.4 — Rakuten publishes no policy'),
  ],
};

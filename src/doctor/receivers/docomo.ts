// NTT docomo (docomo.ne.jp).
import type { ReceiverProfile } from './profile.js';
import { dmarcPolicyRules, spfMustPass } from './profile.js';

export const docomo: ReceiverProfile = {
  id: 'docomo',
  name: 'docomo',
  published: true,
  sources: [
    'docomo "送信ドメイン認証(Sender ID/SPF)について" (since 2007-11)',
    'docomo "なりすましメール対策" — DKIM/DMARC evaluation since 2022-08, DMARC policy applied since 2025-02',
  ],
  rules: [
    // docomo checks the header-From domain (the envelope only when there is no From) and
    // receives only when the IP matches: mismatch, softfail or no record means refusal.
    spfMustPass('from', 'reject', 'SPF of the header-From domain must pass for the sending IP (docomo 送信ドメイン認証)'),
    // Since 2025-02: p=quarantine failures to the spam folder, p=reject failures refused.
    ...dmarcPolicyRules('spam', 'reject', 'docomo, since 2025-02'),
  ],
};

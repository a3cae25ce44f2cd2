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
    'docomo current sender notice (CARRIERS.md) — asks for SPF on the header-From domain, DKIM, DMARC, and an A or MX record on the From domain',
  ],
  rules: [
    // docomo checks the header-From domain (the envelope only when there is no From) and
    // receives only when the IP matches: mismatch, softfail or no record means refusal.
    spfMustPass('from', 'reject', 'SPF of the header-From domain must pass for the sending IP (docomo 送信ドメイン認証)'),
    // Since 2025-02: p=quarantine failures to the spam folder, p=reject failures refused.
    ...dmarcPolicyRules('spam', 'reject', 'docomo, since 2025-02'),
  ],
  asks: [
    {
      // A request, not a rule: the notice "asks for" the record and docomo publishes no refusal
      // for its absence, unlike SPF ("receives only when the IP matches") and DMARC
      // (p=reject refused since 2025-02); no operator report in CARRIERS.md ties a refusal to it.
      // So it is a warning that changes no verdict — predicting a refusal would invent one.
      check: 'from.resolves',
      because: "docomo's sender notice asks for an A or MX record on the From domain (a request: no refusal for its absence is published)",
    },
  ],
};

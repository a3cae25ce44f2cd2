// au (KDDI: ezweb.ne.jp, au.com), spoofing filter on "high" (強).
import type { ReceiverProfile } from './profile.js';
import { spfMustPass } from './profile.js';

export const auHigh: ReceiverProfile = {
  id: 'au-high',
  name: 'au (high)',
  published: true,
  sources: ['au "送信ドメイン認証SPFレコード" — なりすまし規制 強/中/弱', 'au DMARC/DKIM/BIMI support from 2023-10'],
  rules: [
    // "high": envelope From or header From (PRA: Resent-Sender → Resent-From → Sender → From)
    // forged or unauthenticated → refused.
    spfMustPass('mailfrom', 'reject', 'SPF of the envelope From must pass (au 強)'),
    {
      when: { fails: 'pra.order' },
      verdict: 'reject',
      because: 'SPF of the PRA (Resent-Sender → Resent-From → Sender → From) must pass (au 強)',
      explainedBy: ['spf.from.present', 'spf.from.single', 'spf.from.syntax'],
    },
    // au publishes DMARC evaluation for display (logo/checkmark), no refusal rule: not modelled.
  ],
};

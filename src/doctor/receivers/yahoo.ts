// Yahoo Mail, all senders (requirements since 2024-02). Its bulk-sender tier adds the same
// SPF + DKIM + DMARC requirements as gmail-bulk.
import type { ReceiverProfile } from './profile.js';
import { dmarcPolicyRules, SPF_OR_DKIM } from './profile.js';

export const yahoo: ReceiverProfile = {
  id: 'yahoo',
  name: 'Yahoo Mail',
  published: true,
  sources: ['Yahoo Sender Hub "Sender Requirements & Recommendations" (senders.yahooinc.com/best-practices), since 2024-02'],
  rules: [
    { when: SPF_OR_DKIM, verdict: 'reject', because: 'SPF or DKIM must pass (Yahoo, all senders)', explainedBy: ['spf.mailfrom.present', 'dkim.record'] },
    { when: { fails: 'ptr.fcrdns' }, verdict: 'reject', because: 'the sending IP needs valid forward and reverse DNS (Yahoo)' },
    ...dmarcPolicyRules('spam', 'reject', 'Yahoo honours the DMARC policy'),
  ],
};

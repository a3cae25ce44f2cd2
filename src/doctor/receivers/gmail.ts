// Gmail, all senders (requirements since 2024-02).
import type { ReceiverProfile } from './profile.js';
import { dmarcPolicyRules, SPF_OR_DKIM } from './profile.js';

export const gmail: ReceiverProfile = {
  id: 'gmail',
  name: 'Gmail',
  published: true,
  sources: ['Google "Email sender guidelines" (support.google.com/a/answer/81126), requirements for all senders since 2024-02'],
  rules: [
    // 550-5.7.26: unauthenticated mail.
    { when: SPF_OR_DKIM, verdict: 'reject', because: 'SPF or DKIM must pass (Gmail, all senders; 550-5.7.26)', explainedBy: ['spf.mailfrom.present', 'dkim.record'] },
    // 4.7.23 / 5.7.25: no forward-confirmed PTR for the sending IP.
    { when: { fails: 'ptr.fcrdns' }, verdict: 'reject', because: 'the sending IP needs a PTR that resolves back to it (Gmail; 4.7.23/5.7.25)' },
    ...dmarcPolicyRules('spam', 'reject', 'Gmail honours the DMARC policy'),
  ],
};

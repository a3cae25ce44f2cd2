// Gmail, bulk senders (≥ 5,000 messages a day to Gmail; requirements since 2024-02).
import type { ReceiverProfile } from './profile.js';
import { dmarcPolicyRules } from './profile.js';

export const gmailBulk: ReceiverProfile = {
  id: 'gmail-bulk',
  name: 'Gmail (bulk sender)',
  published: true,
  sources: ['Google "Email sender guidelines" (support.google.com/a/answer/81126), bulk-sender requirements since 2024-02'],
  rules: [
    { when: { fails: 'spf.mailfrom.result' }, verdict: 'reject', because: 'SPF must pass (Gmail bulk; 421-4.7.27)', explainedBy: ['spf.mailfrom.present', 'spf.mailfrom.single', 'spf.mailfrom.syntax'] },
    { when: { fails: 'dkim.verify' }, verdict: 'reject', because: 'DKIM must pass (Gmail bulk; 550-5.7.26)', explainedBy: ['dkim.record', 'dkim.keysize', 'dkim.match'] },
    { when: { fails: 'dmarc.record' }, verdict: 'reject', because: 'a DMARC record with at least p=none is required (Gmail bulk)' },
    { when: { fails: 'dmarc.alignment' }, verdict: 'reject', because: 'From must align with SPF or DKIM (Gmail bulk; 4.7.32)', explainedBy: ['dkim.aligned'] },
    { when: { fails: 'ptr.fcrdns' }, verdict: 'reject', because: 'the sending IP needs a PTR that resolves back to it (Gmail; 4.7.23/5.7.25)' },
    ...dmarcPolicyRules('spam', 'reject', 'Gmail honours the DMARC policy'),
  ],
};

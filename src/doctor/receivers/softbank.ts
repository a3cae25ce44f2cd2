// SoftBank / Y!mobile (softbank.ne.jp, i.softbank.jp, ymobile.ne.jp…).
import type { ReceiverProfile } from './profile.js';
import { spfMustPass } from './profile.js';

export const softbank: ReceiverProfile = {
  id: 'softbank',
  name: 'SoftBank / Y!mobile',
  published: true,
  sources: [
    'SoftBank "なりすましメールの拒否" — SPF of the From domain, no record counts as spoofing, on by default since 2011-11',
    'SoftBank — DMARC evaluated through the spoofing filter from 2024-04',
  ],
  rules: [
    spfMustPass('from', 'reject', 'SPF of the From domain must pass; no record counts as spoofing (SoftBank なりすましメールの拒否)'),
    {
      // Since 2024-04 a DMARC failure under an enforcing policy is spoofing to this filter,
      // and spoofed mail is refused (CARRIERS.md: "on failure: refused").
      when: { allOf: [{ fails: 'dmarc.alignment' }, { evidence: 'dmarc.policy', field: 'effective', in: ['quarantine', 'reject'] }] },
      verdict: 'reject',
      because: 'DMARC fails under p=quarantine/reject: the spoofing filter refuses it (SoftBank, from 2024-04)',
      explainedBy: ['dkim.verify', 'dkim.aligned', 'spf.mailfrom.result'],
    },
  ],
};

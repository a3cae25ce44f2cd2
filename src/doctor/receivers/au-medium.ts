// au (KDDI), spoofing filter on "medium" (中): the envelope only.
import type { ReceiverProfile } from './profile.js';
import { spfMustPass } from './profile.js';

export const auMedium: ReceiverProfile = {
  id: 'au-medium',
  name: 'au (medium)',
  published: true,
  sources: ['au "送信ドメイン認証SPFレコード" — なりすまし規制 中: envelope From (HELO when empty), TXT record with IPv4'],
  rules: [spfMustPass('mailfrom', 'reject', 'SPF of the envelope From must pass (au 中)')],
};

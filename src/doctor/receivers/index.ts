// The receivers the doctor judges for, in the order they are shown. Ids are a stable contract.
import type { ReceiverProfile } from './profile.js';
import { docomo } from './docomo.js';
import { auHigh } from './au-high.js';
import { auMedium } from './au-medium.js';
import { softbank } from './softbank.js';
import { rakuten } from './rakuten.js';
import { gmail } from './gmail.js';
import { gmailBulk } from './gmail-bulk.js';
import { yahoo } from './yahoo.js';

export const receivers: readonly ReceiverProfile[] = [docomo, auHigh, auMedium, softbank, rakuten, gmail, gmailBulk, yahoo];
export { judge } from './profile.js';
export type { ReceiverProfile, Rule, Condition, Ask } from './profile.js';

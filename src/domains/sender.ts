// Who a pool's mail is from. In the sending modes (relay, direct): a verified todoku
// identity, signed with its DKIM keys, with the envelope at its MAIL FROM subdomain; in
// capture mode the pool's From (or Cognito's default), unsigned.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { MailMode } from '../config/index.js';
import type { Sender, SenderResolver } from '../mail/outgoing.js';
import { addressOf, domainOf } from '../mail/compose/mime.js';
import { signMessage, type SigningKey } from '../mail/sign/dkim.js';
import { CodeDeliveryFailureException } from '../userpool/errors.js';
import { openPrivateKeyPem } from './keys.js';
import { isActiveKey, isVerified } from './model.js';
import { poolFromAddress } from './pool-sender.js';
import type { DomainsPort } from './ports.js';

export interface DomainSenderOptions {
  /** The key the DKIM private keys are sealed with (secrets.keyEncryptionKey). */
  keyEncryptionKey: Buffer;
  clock: Clock;
  mailMode: MailMode;
}

/** Local part of the envelope sender at the MAIL FROM subdomain; bounces come back to it. */
export const BOUNCE_LOCAL_PART = 'bounce';

/** Cognito's own default sender; what COGNITO_DEFAULT pools send as in capture mode. */
export const COGNITO_DEFAULT_FROM = 'no-reply@verificationemail.com';

/** Capture-mode sender: the pool's From (or Cognito's default), unsigned. */
export const captureSenderResolver: SenderResolver = {
  async resolve(_tx, pool) {
    const ec = pool.settings.EmailConfiguration;
    const from = poolFromAddress(ec) || COGNITO_DEFAULT_FROM;
    return { fromHeader: from, envelopeFrom: addressOf(from), replyTo: ec?.ReplyToEmailAddress, sign: async (raw) => raw };
  },
};

export function domainSenderResolver(o: DomainSenderOptions): SenderResolver<{ domains: DomainsPort }> {
  // Decrypted, parsed keys by key id: a key never changes, so it is unsealed and parsed once.
  const parsed = new Map<string, KeyObject>();

  return {
    async resolve(tx, pool): Promise<Sender> {
      const ec = pool.settings.EmailConfiguration;
      const from = poolFromAddress(ec);
      if (ec === undefined || from === undefined) {
        // Cognito's default sender (no-reply@verificationemail.com) has no SPF or DKIM that
        // todoku can satisfy, and the carriers refuse it (CARRIERS.md).
        throw new CodeDeliveryFailureException(
          `User pool ${pool.id} sends as Cognito's default sender (EmailSendingAccount COGNITO_DEFAULT), which todoku cannot send in TODOKU_MAIL_MODE=${o.mailMode}: ` +
            'receivers such as docomo refuse it. Set EmailConfiguration {EmailSendingAccount: "DEVELOPER", From: "no-reply@<your verified todoku domain>"}.',
        );
      }
      const fromAddress = addressOf(from);
      const domain = domainOf(fromAddress);
      const identity = await tx.domains.findDomain(domain);
      if (!identity) {
        throw new CodeDeliveryFailureException(`EmailConfiguration From domain ${domain} of user pool ${pool.id} is not a todoku sending identity (todoku domain add ${domain}).`);
      }
      if (!isVerified(identity)) {
        throw new CodeDeliveryFailureException(
          `EmailConfiguration From domain ${domain} is not verified (DKIM ${identity.dkimStatus}${identity.dkimReason ? `: ${identity.dkimReason}` : ''}); publish its records and run todoku domain verify ${domain}.`,
        );
      }
      let envelopeFrom: string;
      if (identity.mailFromDomain !== null && identity.mailFromStatus === 'SUCCESS') {
        envelopeFrom = `${BOUNCE_LOCAL_PART}@${identity.mailFromDomain}`;
      } else if (identity.mailFromDomain !== null && identity.behaviorOnMxFailure === 'RejectMessage') {
        throw new CodeDeliveryFailureException(
          `The MAIL FROM domain ${identity.mailFromDomain} of ${domain} is not verified (${identity.mailFromStatus}) and its BehaviorOnMxFailure is RejectMessage.`,
        );
      } else {
        // UseDefaultValue: SES falls back to its own domain; todoku's default is the From
        // address itself, which stays aligned and is covered by the From-domain SPF record.
        envelopeFrom = fromAddress;
      }
      const keys = (await tx.domains.listDkimKeys(domain)).filter(isActiveKey);
      const signing: SigningKey[] = keys.map((k) => {
        let privateKey = parsed.get(k.id);
        if (privateKey === undefined) {
          privateKey = createPrivateKey(openPrivateKeyPem(k, o.keyEncryptionKey));
          parsed.set(k.id, privateKey);
        }
        return { domain, selector: k.selector, algorithm: k.algorithm, privateKey };
      });
      return {
        fromHeader: from,
        envelopeFrom,
        replyTo: ec.ReplyToEmailAddress,
        sign: (raw) => signMessage(raw, signing, new Date(o.clock.nowMs())),
      };
    },
  };
}

// Which address a pool sends as, and CreateUserPool / UpdateUserPool's check that a
// DEVELOPER EmailConfiguration sends as a todoku sending identity (Cognito checks SourceArn
// against SES the same way). userpool asks through its SenderRules port.
import type { MailMode } from '../config/index.js';
import { addressOf, domainOf } from '../mail/compose/mime.js';
import type { PoolSettings } from '../userpool/model.js';
import type { SenderRules } from '../userpool/mail-ports.js';
import { InvalidParameterException } from '../userpool/errors.js';
import { describeEmailProblem, emailProblem } from '../userpool/email.js';
import type { DomainsPort } from './ports.js';

type EmailConfiguration = PoolSettings['EmailConfiguration'];

/**
 * The From a pool's mail carries: for EmailSendingAccount DEVELOPER its From, or without
 * one the SES identity of its SourceArn (as Cognito sends); undefined when the pool sends
 * as Cognito's default sender (COGNITO_DEFAULT, or no EmailConfiguration).
 */
export function poolFromAddress(emailConfiguration: EmailConfiguration): string | undefined {
  if (emailConfiguration?.EmailSendingAccount !== 'DEVELOPER') return undefined;
  return emailConfiguration.From ?? fromOfSourceArn(emailConfiguration.SourceArn);
}

/** The domain of the identity a pool sends as (lower-cased), or undefined for Cognito's default sender. */
export function poolSenderDomain(emailConfiguration: EmailConfiguration): string | undefined {
  const from = poolFromAddress(emailConfiguration);
  return from === undefined || from === '' ? undefined : domainOf(addressOf(from));
}

/**
 * Throws InvalidParameterException when `emailConfiguration` names a sender todoku cannot
 * send as. COGNITO_DEFAULT is accepted here in every mode (a pool may never send mail);
 * in relay/direct mode the send itself is refused with CodeDeliveryFailureException.
 */
export async function checkPoolSender(
  ports: { domains: DomainsPort },
  emailConfiguration: EmailConfiguration,
  mailMode: MailMode,
): Promise<void> {
  if (emailConfiguration?.EmailSendingAccount !== 'DEVELOPER') return;
  const from = poolFromAddress(emailConfiguration);
  if (from === undefined || from === '') {
    throw new InvalidParameterException('EmailConfiguration.From is required when EmailSendingAccount is DEVELOPER (for example "Example <no-reply@example.jp>").');
  }
  const address = addressOf(from);
  const problem = emailProblem(address);
  if (problem) throw new InvalidParameterException(`EmailConfiguration.From "${from}" ${describeEmailProblem(problem)}.`);
  const reply = emailConfiguration.ReplyToEmailAddress;
  if (reply !== undefined) {
    const replyProblem = emailProblem(addressOf(reply));
    if (replyProblem) throw new InvalidParameterException(`EmailConfiguration.ReplyToEmailAddress "${reply}" ${describeEmailProblem(replyProblem)}.`);
  }
  const domain = domainOf(address);
  if (!(await ports.domains.findDomain(domain))) {
    throw new InvalidParameterException(
      `EmailConfiguration.From domain ${domain} is not a todoku sending identity: add it with \`todoku domain add ${domain}\` or POST /_todoku/api/domains` +
        (mailMode === 'capture' ? '.' : ` before pointing a pool at it (TODOKU_MAIL_MODE=${mailMode}).`),
    );
  }
}

/** userpool's SenderRules port, for the configured mail mode. */
export function poolSenderRules(mailMode: MailMode): SenderRules {
  return { checkPoolSender: (tx, emailConfiguration) => checkPoolSender(tx, emailConfiguration, mailMode) };
}

/**
 * Cognito sends as the SES identity of SourceArn when From is absent:
 * `arn:aws:ses:<region>:<account>:identity/<email or domain>` (a domain → no-reply@ it).
 */
export function fromOfSourceArn(sourceArn: string | undefined): string | undefined {
  const identity = sourceArn === undefined ? undefined : /:identity\/(.+)$/.exec(sourceArn)?.[1];
  if (identity === undefined) return undefined;
  return identity.includes('@') ? identity : `no-reply@${identity}`;
}

// CreateUserPool / UpdateUserPool: a DEVELOPER EmailConfiguration must send as a todoku
// sending identity (Cognito checks SourceArn against SES the same way).
import type { MailMode } from '../config/index.js';
import type { Ports } from '../ports.js';
import { addressOf, domainOf } from '../mail/compose/mime.js';
import type { PoolSettings } from '../userpool/model.js';
import { InvalidParameterException } from '../userpool/errors.js';
import { describeEmailProblem, emailProblem } from '../userpool/email.js';

/**
 * Throws InvalidParameterException when `emailConfiguration` names a sender todoku cannot
 * send as. COGNITO_DEFAULT is accepted here in every mode (a pool may never send mail);
 * in relay/direct mode the send itself is refused with CodeDeliveryFailureException.
 */
export async function checkPoolSender(
  ports: Pick<Ports, 'domains'>,
  emailConfiguration: PoolSettings['EmailConfiguration'],
  mailMode: MailMode,
): Promise<void> {
  if (emailConfiguration?.EmailSendingAccount !== 'DEVELOPER') return;
  const from = emailConfiguration.From ?? fromOfSourceArn(emailConfiguration.SourceArn);
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

/**
 * Cognito sends as the SES identity of SourceArn when From is absent:
 * `arn:aws:ses:<region>:<account>:identity/<email or domain>` (a domain → no-reply@ it).
 */
export function fromOfSourceArn(sourceArn: string | undefined): string | undefined {
  const identity = sourceArn === undefined ? undefined : /:identity\/(.+)$/.exec(sourceArn)?.[1];
  if (identity === undefined) return undefined;
  return identity.includes('@') ? identity : `no-reply@${identity}`;
}

// Attributes a caller writes (SignUp, AdminCreateUser, Update…Attributes): which names the
// pool's schema knows, which values they take, and which a client may write.
import type { Attributes, UserPool, UserPoolClient } from './model.js';
import { InvalidParameterException, NotAuthorizedException } from './errors.js';
import { describeEmailProblem, emailProblem } from './email.js';
import { STANDARD_SCHEMA } from './pool-schema.js';
import type { AttributeInput } from './validate.js';

/** OIDC standard attributes Cognito accepts without a custom schema: its standard schema but `sub`. */
export const STANDARD_ATTRIBUTES: ReadonlySet<string> = new Set(STANDARD_SCHEMA.map((a) => a.Name).filter((name) => name !== 'sub'));

/**
 * Checks names and values of attributes a caller wants to set; returns them as a map.
 * `verifiedFlagsAllowed` is true for admin operations, which may set email_verified.
 */
export function checkAttributes(pool: UserPool, list: AttributeInput[], field: string, verifiedFlagsAllowed: boolean): Attributes {
  // Custom attributes are stored in the schema by their bare name and written as `custom:<name>`
  // only; a developer-only one is `dev:custom:<name>`, which is not `custom:<name>`.
  const custom = new Set((pool.settings.Schema ?? []).filter((s) => !s.DeveloperOnlyAttribute && s.Name !== 'sub' && !STANDARD_ATTRIBUTES.has(s.Name)).map((s) => s.Name));
  const out: Attributes = {};
  for (const { Name, Value } of list) {
    if (Name === 'sub') throw new InvalidParameterException(`${field}: Cannot modify the non-mutable attribute sub`);
    const known = STANDARD_ATTRIBUTES.has(Name) || (Name.startsWith('custom:') && custom.has(Name.slice(7)));
    if (!known) throw new InvalidParameterException(`Attributes did not conform to the schema: ${Name}: Attribute does not exist in the schema.`);
    if (!verifiedFlagsAllowed && (Name === 'email_verified' || Name === 'phone_number_verified')) {
      throw new InvalidParameterException(`${field}: ${Name} can only be set by an administrator.`);
    }
    if ((Name === 'email_verified' || Name === 'phone_number_verified') && Value !== 'true' && Value !== 'false') {
      throw new InvalidParameterException(`${field}: ${Name} must be "true" or "false".`);
    }
    if (Name === 'email') {
      const problem = emailProblem(Value);
      if (problem) throw new InvalidParameterException(`Invalid email address format: the email ${describeEmailProblem(problem)}.`);
    }
    out[Name] = Value;
  }
  return out;
}

/**
 * A client's WriteAttributes bind every self-service write (SignUp, UpdateUserAttributes,
 * the NEW_PASSWORD_REQUIRED answer); an empty or absent list lets it write any attribute.
 */
export function requireClientMayWrite(client: UserPoolClient, names: Iterable<string>): void {
  const writable = client.settings.WriteAttributes;
  if (!writable || writable.length === 0) return;
  for (const name of names) {
    if (!writable.includes(name)) throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
  }
}

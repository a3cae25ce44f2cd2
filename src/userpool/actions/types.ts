import type { Config } from '../../config/index.js';
import type { Clock } from '../../core/clock.js';
import type { Random } from '../../core/random.js';
import type { Store } from '../../ports.js';
import type { PasswordHasher } from '../passwords.js';
import type { TokenService } from '../../tokens/service.js';
import type { MailService } from '../../mail/outgoing.js';
import type { Logger } from '../../core/logger.js';
import type { Input } from '../validate.js';

/** Everything an action may use. Actions take what they need from it; nothing else does I/O. */
export interface Deps {
  config: Config;
  store: Store;
  clock: Clock;
  random: Random;
  passwords: PasswordHasher;
  tokens: TokenService;
  mail: MailService;
  log: Logger;
  /** Key of the HMAC that one-time codes are stored under (generated in the data dir). */
  codeKey: Buffer;
}

export interface RequestContext {
  /** Client IP for rate limits. */
  sourceIp: string;
  /** True when the request carried a valid SigV4 signature of the admin credentials. */
  signedByAdmin: boolean;
}

/**
 * Cognito's quota categories (per-category request limits).
 * https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html
 */
export type QuotaCategory =
  | 'UserAuthentication'
  | 'UserCreation'
  | 'AccountRecovery'
  | 'UserAccount'
  | 'UserResource'
  | 'UserPoolRead'
  | 'UserPoolResource'
  | 'UserResourceRead'
  | 'UserList'
  | 'UserPoolClientRead'
  | 'UserPoolClientResource';

export interface Action {
  /** Wire name, e.g. "SignUp". */
  name: string;
  /** 'public' operations are authorised by their body; 'admin' ones need SigV4. */
  auth: 'public' | 'admin';
  category: QuotaCategory;
  run(deps: Deps, input: Input, ctx: RequestContext): Promise<object>;
}

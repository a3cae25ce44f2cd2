import type { Config } from '../../config/index.js';
import type { Clock } from '../../core/clock.js';
import type { Random } from '../../core/random.js';
import type { Store } from '../../ports.js';
import type { PasswordHasher } from '../passwords.js';
import type { TokenService } from '../../tokens/service.js';
import type { CodeMailer, SenderRules } from '../mail-ports.js';
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
  mail: CodeMailer;
  /** Whether a pool's EmailConfiguration names a sender todoku can send as. */
  senderRules: SenderRules;
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

/**
 * One Cognito operation. `Req`/`Res` are the AWS SDK's own request and response shapes
 * (`Res` in its wire form), `D` the dependencies it uses — as cognito-local's targets take
 * `Pick<Services, …>`. The request arrives as untrusted JSON: the action reads it with
 * validate.ts's checks, so `input` is the SDK shape a caller means and any JSON it got.
 */
export interface Action<Req extends object = object, Res extends object = object, D extends keyof Deps = keyof Deps> {
  /** Wire name, e.g. "SignUp". */
  name: string;
  /** 'public' operations are authorised by their body; 'admin' ones need SigV4. */
  auth: 'public' | 'admin';
  category: QuotaCategory;
  run(deps: Pick<Deps, D>, input: Req & Input, ctx: RequestContext): Promise<Res>;
}

/**
 * Any action, as the registry holds them and the dispatcher calls them: with all of Deps and
 * the JSON object the request carried, answering a JSON object. Every `Action<Req, Res, D>` is
 * one — Deps holds every `D`, Res is an object, and `run`'s input is compared both ways (a
 * method parameter), which is the truth here: an action reads its body with validate.ts's
 * checks and trusts nothing of `Req`.
 */
export type AnyAction = Action<Input, object, keyof Deps>;

// Per-client-IP request limits per Cognito quota category, counted in the database so
// they hold across restarts and across several todoku processes.
import type { RateLimits } from '../config/index.js';
import type { LimitsPort } from './ports.js';
import type { QuotaCategory } from './actions/types.js';
import { TooManyRequestsException } from './errors.js';

const WINDOW_MS = 1000;
/**
 * How long counter rows are kept. The table also holds the per-user code counters of
 * userpool/codes.ts, whose windows are up to an hour long; pruning sooner would reset them.
 */
const RETAIN_MS = 3600_000;

function perSecond(limits: RateLimits, category: QuotaCategory): number {
  switch (category) {
    case 'UserAuthentication':
      return limits.userAuthenticationPerSecond;
    case 'UserCreation':
      return limits.userCreationPerSecond;
    case 'AccountRecovery':
      return limits.accountRecoveryPerSecond;
    case 'UserAccount':
      return limits.userAccountPerSecond;
    case 'UserResource':
    case 'UserResourceRead':
    case 'UserList':
      return limits.userResourcePerSecond;
    case 'UserPoolRead':
    case 'UserPoolClientRead':
      return limits.userPoolReadPerSecond;
    case 'UserPoolResource':
    case 'UserPoolClientResource':
      return limits.userPoolResourcePerSecond;
  }
}

export class RateLimiter {
  private lastPruneMs = 0;
  constructor(
    private readonly port: LimitsPort,
    private readonly limits: RateLimits,
  ) {}

  /** Counts this request; throws TooManyRequestsException past the category's limit. */
  async check(category: QuotaCategory, sourceIp: string, nowMs: number): Promise<void> {
    const limit = perSecond(this.limits, category);
    if (limit <= 0) return;
    const windowStart = nowMs - (nowMs % WINDOW_MS);
    const count = await this.port.hit(`${category}:${sourceIp}`, windowStart);
    if (nowMs - this.lastPruneMs > 60_000) {
      this.lastPruneMs = nowMs;
      await this.port.prune(windowStart - RETAIN_MS);
    }
    if (count > limit) {
      throw new TooManyRequestsException(`Too many requests: more than ${limit} ${category} requests per second from this client.`);
    }
  }
}

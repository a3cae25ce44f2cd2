// lockout.ts's afterFailure as SQL over a row's failed_sign_ins and locked_until, shared by
// the users' lockout (UsersPort.reserveSignInAttempt) and that of names without a user
// (LimitsPort.reserveNameSignInAttempt). Every value is cast: PostgreSQL gives untyped
// parameters in a CASE the type text.
import { sql, type RawBuilder } from 'kysely';
import type { SignInAttemptRule } from '../userpool/ports.js';

const big = (n: number) => sql`cast(${n} as bigint)`;

/**
 * The counters after one more failure at `nowMs`, read from `failed` and `lockedUntil` (the
 * row as it was: an UPDATE's SET and an upsert's DO UPDATE both see the old row), and the
 * condition that admits the attempt: not locked out at `nowMs`.
 */
export function afterFailureSql(
  failed: RawBuilder<unknown>,
  lockedUntil: RawBuilder<unknown>,
  nowMs: number,
  rule: SignInAttemptRule,
): { failedSignIns: RawBuilder<number>; lockedUntil: RawBuilder<number>; admitted: RawBuilder<boolean> } {
  const now = big(nowMs);
  const failures = sql`(case when ${failed} > 0 and ${now} - ${lockedUntil} >= ${big(rule.quietResetMs)} then 1 else ${failed} + 1 end)`;
  const steps = rule.lockoutMsAfter;
  const final = big(steps[steps.length - 1] ?? 0);
  const lockout =
    steps.length <= 1
      ? final
      : sql`(case ${sql.join(
          steps.slice(0, -1).map((ms, i) => sql`when ${failures} = ${big(i + 1)} then ${big(ms)}`),
          sql` `,
        )} else ${final} end)`;
  return {
    failedSignIns: sql<number>`${failures}`,
    lockedUntil: sql<number>`${now} + ${lockout}`,
    admitted: sql<boolean>`${lockedUntil} <= ${now}`,
  };
}

// Answers that must not tell by their time whether a user exists (PreventUserExistenceErrors,
// issue 13 #7). ForgotPassword and ResendConfirmationCode store a code and queue a mail for a
// real user — a transaction an unknown name does not need — and measured 3.3 ms against
// 1.1 ms. Doing phantom writes for unknown names would still differ (a commit is not a
// rollback, PostgreSQL flushes its WAL on commit); so, with a hiding client, these answers
// leave no sooner than a floor well above the work either path does: both then take the
// floor, and what remains of their times is the machine's noise, alike for both.

/** Longer than the slower path takes on a busy two-core machine; short beside Cognito's own latency. */
export const HIDDEN_ANSWER_FLOOR_MS = 40;

/**
 * A promise that resolves `floorMs` from now: started when a request begins, awaited before a
 * hiding client's answer leaves. The timer does not hold the process open.
 */
export function answerFloor(floorMs: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, floorMs).unref());
}

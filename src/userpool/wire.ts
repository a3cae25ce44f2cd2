// The AWS SDK's request/response shapes as they travel in Cognito's JSON protocol.

/**
 * The JSON wire form of an AWS SDK shape (awsJson1_1): timestamps travel as epoch seconds,
 * where the SDK's own types show the Date it parses them into, and enums as the strings
 * they are (todoku keeps stored settings as the strings it accepted).
 */
export type Wire<T> = T extends Date
  ? number
  : T extends string
    ? string
    : T extends readonly (infer U)[]
      ? Wire<U>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

/**
 * The answer of an operation whose SDK output has no members (the SDK declares no
 * `<Op>Response` shape for it, e.g. AdminDeleteUser): Cognito sends `{}`.
 */
export type NoOutput = Record<string, never>;

/**
 * `Res`, checked to be a wire form of the SDK's response `T`: the exact shape an action
 * answers where its callers rely on members the SDK marks optional (CreateUserPool's
 * `UserPool.Id`), proved to fit Cognito's.
 */
export type Answer<T, Res extends Wire<T>> = Res;

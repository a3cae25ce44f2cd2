// Input checks with AWS's validation wording ("1 validation error detected: Value at
// 'ClientId' failed to satisfy constraint: …"), always naming the field.
import { InvalidParameterException } from './errors.js';

export type Input = Record<string, unknown>;

/**
 * How many code points of a refused value a message quotes. AWS quotes enum values it refuses
 * and leaves long ones out of length errors; a value is never echoed whole, so a message (and
 * the x-amzn-ErrorMessage header made from it) stays small whatever was sent (issue 13 #5).
 */
export const QUOTED_VALUE_MAX_CHARS = 100;

/** `'value'` as a message quotes it: cut by code points (never inside a surrogate pair), `...` when cut. */
export function quoteValue(value: string): string {
  const points = [...value.slice(0, QUOTED_VALUE_MAX_CHARS * 2)];
  return points.length > QUOTED_VALUE_MAX_CHARS ? `'${points.slice(0, QUOTED_VALUE_MAX_CHARS).join('')}...'` : `'${value}'`;
}

/** AWS's enum refusal, the one place a refused enum value is quoted. */
export function failEnum(field: string, value: string, allowed: readonly string[]): never {
  throw new InvalidParameterException(
    `1 validation error detected: Value ${quoteValue(value)} at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
}

function fail(field: string, constraint: string, value?: unknown): never {
  const shown = value === undefined || value === null ? 'null ' : '';
  throw new InvalidParameterException(`1 validation error detected: Value ${shown}at '${field}' failed to satisfy constraint: ${constraint}`);
}

/**
 * A check of a whole value: a RegExp, or a hand-written scan where AWS's pattern, run as a
 * backtracking RegExp, takes more than linear time (issue 13 #6, pool-settings.ts). A RegExp
 * here must not nest or chain overlapping quantifiers: one character class repeated is fine.
 */
export interface ValuePattern {
  test(value: string): boolean;
  readonly source: string;
}

/**
 * A JSON value of the wrong type for its member, named by the type sent in Coral's words
 * ("NUMBER_VALUE can not be converted to a String", "Start of structure or map found where not
 * expected."), never as null. AWS refuses it while deserialising, as SerializationException
 * without the member's name; todoku keeps InvalidParameterException and names the member
 * (tests/e2e/cognito/protocol.test.ts pins that answer), which tells a caller more.
 */
function wrongType(field: string, value: unknown, expected: 'a String' | 'an Integer' | 'a Boolean'): never {
  let constraint: string;
  if (Array.isArray(value)) constraint = 'Start of list found where not expected';
  else if (typeof value === 'object' && value !== null) constraint = 'Start of structure or map found where not expected.';
  else {
    const token = typeof value === 'string' ? 'STRING_VALUE' : typeof value === 'number' ? 'NUMBER_VALUE' : value === true ? 'TRUE_VALUE' : 'FALSE_VALUE';
    constraint = `${token} can not be converted to ${expected}`;
  }
  throw new InvalidParameterException(`1 validation error detected: Value at '${field}' failed to satisfy constraint: ${constraint}`);
}

export interface StringRule {
  min?: number;
  max?: number;
  pattern?: ValuePattern;
  patternText?: string;
}

function checkString(field: string, value: unknown, rule: StringRule): string {
  if (typeof value !== 'string') wrongType(field, value, 'a String');
  const length = [...value].length;
  if (rule.min !== undefined && length < rule.min) fail(field, `Member must have length greater than or equal to ${rule.min}`, value);
  if (rule.max !== undefined && length > rule.max) fail(field, `Member must have length less than or equal to ${rule.max}`, value);
  if (rule.pattern && !rule.pattern.test(value)) {
    fail(field, `Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`, value);
  }
  return value;
}

export function requireString(input: Input, field: string, rule: StringRule = {}): string {
  const value = input[field];
  if (value === undefined || value === null) fail(field, 'Member must not be null');
  return checkString(field, value, { min: 1, ...rule });
}

export function optionalString(input: Input, field: string, rule: StringRule = {}): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  return checkString(field, value, rule);
}

export function optionalBoolean(input: Input, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') wrongType(field, value, 'a Boolean');
  return value;
}

export function optionalInteger(input: Input, field: string, min: number, max: number): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') wrongType(field, value, 'an Integer');
  if (!Number.isInteger(value)) fail(field, 'Member must be an integer');
  if (value < min) fail(field, `Member must have value greater than or equal to ${min}`, value);
  if (value > max) fail(field, `Member must have value less than or equal to ${max}`, value);
  return value;
}

export function optionalStringList(input: Input, field: string, rule: StringRule = {}, maxItems = 1000): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail(field, 'Member must be a list');
  if (value.length > maxItems) fail(field, `Member must have length less than or equal to ${maxItems}`, value);
  return value.map((v, i) => checkString(`${field}.${i + 1}`, v, rule));
}

export function optionalObject(input: Input, field: string): Input | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) fail(field, 'Member must be a structure');
  return value as Input;
}

export interface AttributeInput {
  Name: string;
  Value: string;
}

/** `UserAttributes: [{Name, Value}]` lists. */
export function optionalAttributeList(input: Input, field: string): AttributeInput[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail(field, 'Member must be a list');
  if (value.length > 100) fail(field, 'Member must have length less than or equal to 100', value);
  return value.map((item, i) => {
    const at = `${field}.${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) fail(at, 'Member must be a structure');
    const name = requireString(item as Input, 'Name', { max: 32, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+' });
    const raw = (item as Input).Value;
    const val = raw === undefined || raw === null ? '' : checkString(`${at}.member.value`, raw, { max: 2048 });
    return { Name: name, Value: val };
  });
}

/** Cognito's username pattern: letters, marks, symbols, numbers, punctuation — no spaces. */
export const USERNAME_RULE: StringRule = { max: 128, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+' };
export const CLIENT_ID_RULE: StringRule = { max: 128, pattern: /^[\w+]+$/, patternText: '[\\w+]+' };
export const USER_POOL_ID_RULE: StringRule = { max: 55, pattern: /^[\w-]+_[0-9a-zA-Z]+$/, patternText: '[\\w-]+_[0-9a-zA-Z]+' };
export const PASSWORD_RULE: StringRule = { max: 256 };
export const CODE_RULE: StringRule = { max: 2048, pattern: /^[\S]+$/, patternText: '[\\S]+' };
export const TOKEN_RULE: StringRule = { max: 131072, pattern: /^[A-Za-z0-9-_=.]+$/, patternText: '[A-Za-z0-9-_=.]+' };

/** The fields every client-authorised user operation carries (ForgotPassword, ConfirmSignUp, …). */
export interface ClientUserFields {
  clientId: string;
  username: string;
  secretHash: string | undefined;
}

/** Reads and checks them (and the metadata Cognito accepts and todoku ignores) before any lookup. */
export function readClientUserFields(input: Input): ClientUserFields {
  const fields = {
    clientId: requireString(input, 'ClientId', CLIENT_ID_RULE),
    username: requireString(input, 'Username', USERNAME_RULE),
    secretHash: optionalString(input, 'SecretHash', { max: 128 }),
  };
  optionalObject(input, 'ClientMetadata');
  optionalObject(input, 'AnalyticsMetadata');
  optionalObject(input, 'UserContextData');
  return fields;
}

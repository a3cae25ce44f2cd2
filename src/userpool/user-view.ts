// How users look on the wire: Cognito's UserType (AdminCreateUser, ListUsers) and the
// attribute lists of AdminGetUser / GetUser. Dates are epoch seconds, as the JSON
// protocol sends timestamps.
import type { Attributes, User, UserStatus } from './model.js';

export interface AttributeType {
  Name: string;
  Value: string;
}

export interface UserType {
  Username: string;
  Attributes: AttributeType[];
  UserCreateDate: number;
  UserLastModifiedDate: number;
  Enabled: boolean;
  UserStatus: UserStatus;
}

export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/**
 * `sub` first (it is users.sub, not a stored attribute), then the stored attributes by
 * name. With `only`, just those names (Cognito's AttributesToGet), `sub` included if asked.
 */
export function attributeList(user: User, attributes: Attributes, only?: readonly string[]): AttributeType[] {
  const wanted = only ? new Set(only) : undefined;
  const out: AttributeType[] = [];
  if (!wanted || wanted.has('sub')) out.push({ Name: 'sub', Value: user.sub });
  for (const name of Object.keys(attributes).sort()) {
    if (name === 'sub') continue;
    if (wanted && !wanted.has(name)) continue;
    out.push({ Name: name, Value: attributes[name]! });
  }
  return out;
}

export function toUserType(user: User, attributes: Attributes, only?: readonly string[]): UserType {
  return {
    Username: user.username,
    Attributes: attributeList(user, attributes, only),
    UserCreateDate: epochSeconds(user.createdAtMs),
    UserLastModifiedDate: epochSeconds(user.updatedAtMs),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

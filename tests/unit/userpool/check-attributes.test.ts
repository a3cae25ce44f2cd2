// checkAttributes: a custom attribute is written by its wire name `custom:<name>` only; the
// bare schema name is not an attribute, and a developer-only attribute (wire name
// `dev:custom:<name>`) is not writable as `custom:<name>`.
import { describe, expect, it } from 'vitest';
import { checkAttributes } from '../../../src/userpool/attributes.js';
import { DEFAULT_PASSWORD_POLICY } from '../../../src/userpool/passwords.js';
import type { UserPool } from '../../../src/userpool/model.js';

const pool: UserPool = {
  id: 'ap-northeast-1_Unit1',
  name: 'p',
  settings: {
    Policies: { PasswordPolicy: DEFAULT_PASSWORD_POLICY },
    Schema: [
      { Name: 'plan', AttributeDataType: 'String', Mutable: true },
      { Name: 'role', AttributeDataType: 'String', Mutable: true, DeveloperOnlyAttribute: true },
      { Name: 'email', AttributeDataType: 'String', Required: true },
    ],
  },
  createdAtMs: 0,
  updatedAtMs: 0,
};

const check = (Name: string, admin = false) => () => checkAttributes(pool, [{ Name, Value: 'x@example.jp' }], 'UserAttributes', admin);

describe('checkAttributes', () => {
  it('accepts standard attributes and custom ones by their wire name', () => {
    expect(check('email')()).toEqual({ email: 'x@example.jp' });
    expect(check('custom:plan')()).toEqual({ 'custom:plan': 'x@example.jp' });
  });

  it('refuses the bare name of a custom attribute', () => {
    expect(check('plan')).toThrow(/plan: Attribute does not exist in the schema/);
    expect(check('plan', true)).toThrow(/plan: Attribute does not exist in the schema/);
  });

  it('refuses a developer-only attribute under its non-developer name', () => {
    expect(check('custom:role')).toThrow(/custom:role: Attribute does not exist in the schema/);
    expect(check('role')).toThrow(/role: Attribute does not exist in the schema/);
  });

  it('refuses a standard attribute under a custom: name', () => {
    expect(check('custom:email')).toThrow(/custom:email: Attribute does not exist in the schema/);
  });
});

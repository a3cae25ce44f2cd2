// A pool's attribute schema: Cognito's standard OIDC attributes, which a pool may mark
// Required or immutable, plus up to 50 custom attributes shown as `custom:<name>`.
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html
import type { SchemaAttribute } from './model.js';
import { InvalidParameterException } from './errors.js';
import { Reader } from './settings-input.js';

type DataType = SchemaAttribute['AttributeDataType'];
const DATA_TYPES: readonly DataType[] = ['String', 'Number', 'DateTime', 'Boolean'];

const STRING_2048 = { MinLength: '0', MaxLength: '2048' };

/** Cognito's standard schema in the order DescribeUserPool lists it. */
export const STANDARD_SCHEMA: readonly SchemaAttribute[] = [
  { Name: 'sub', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: false, Required: true, StringAttributeConstraints: { MinLength: '1', MaxLength: '2048' } },
  ...['name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'email'].map(
    (Name): SchemaAttribute => ({ Name, AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: STRING_2048 }),
  ),
  { Name: 'email_verified', AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false, Mutable: true, Required: false },
  { Name: 'gender', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: STRING_2048 },
  { Name: 'birthdate', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: { MinLength: '10', MaxLength: '10' } },
  ...['zoneinfo', 'locale', 'phone_number'].map(
    (Name): SchemaAttribute => ({ Name, AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: STRING_2048 }),
  ),
  { Name: 'phone_number_verified', AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false, Mutable: true, Required: false },
  { Name: 'address', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: STRING_2048 },
  { Name: 'updated_at', AttributeDataType: 'Number', DeveloperOnlyAttribute: false, Mutable: true, Required: false, NumberAttributeConstraints: { MinValue: '0' } },
];

const STANDARD_BY_NAME = new Map(STANDARD_SCHEMA.map((a) => [a.Name, a]));

export function isStandardAttribute(name: string): boolean {
  return STANDARD_BY_NAME.has(name);
}

/** The wire name of a custom attribute: `custom:x`, or `dev:custom:x` when developer-only. */
export function customAttributeName(attr: SchemaAttribute): string {
  return `${attr.DeveloperOnlyAttribute ? 'dev:' : ''}custom:${attr.Name}`;
}

function limit(constraints: Reader | undefined, key: string, label: string, attrName: string): string | undefined {
  const raw = constraints?.string(key, { max: 20 });
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new InvalidParameterException(`Invalid ${label} for schema attribute ${attrName}: ${key} must be a whole number.`);
  return raw;
}

/**
 * Checks the CreateUserPool `Schema` list. Entries naming a standard attribute change its
 * Required/Mutable flags; the others are custom attributes, stored by their bare name.
 */
export function parseSchema(reader: Reader): SchemaAttribute[] | undefined {
  const entries = reader.list('Schema', 1, 50);
  if (!entries) return undefined;
  const out: SchemaAttribute[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const name = entry.requiredString('Name', { max: 20, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+' });
    const dataType = entry.enumOf('AttributeDataType', DATA_TYPES);
    const developerOnly = entry.boolean('DeveloperOnlyAttribute');
    const mutable = entry.boolean('Mutable');
    const required = entry.boolean('Required');
    const stringC = entry.object('StringAttributeConstraints');
    const numberC = entry.object('NumberAttributeConstraints');
    const standard = STANDARD_BY_NAME.get(name);
    const wireName = standard ? name : `${developerOnly ? 'dev:' : ''}custom:${name}`;
    if (seen.has(wireName)) throw new InvalidParameterException(`${wireName}: Existing attribute already has name ${wireName}.`);
    seen.add(wireName);

    if (standard) {
      if ((dataType !== undefined && dataType !== standard.AttributeDataType) || developerOnly === true) {
        throw new InvalidParameterException(`You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute ${name}`);
      }
      if (name === 'sub') throw new InvalidParameterException('sub: the standard attribute sub cannot be changed.');
      const attr: SchemaAttribute = { Name: name, AttributeDataType: standard.AttributeDataType };
      if (mutable !== undefined) attr.Mutable = mutable;
      if (required !== undefined) attr.Required = required;
      out.push(attr);
      continue;
    }

    if (dataType === undefined) {
      throw new InvalidParameterException('Invalid AttributeDataType input, consider using the provided AttributeDataType enum.');
    }
    if (required === true) throw new InvalidParameterException('Required custom attributes are not supported currently.');
    const attr: SchemaAttribute = { Name: name, AttributeDataType: dataType, DeveloperOnlyAttribute: developerOnly ?? false, Mutable: mutable ?? true, Required: false };
    if (dataType === 'String') {
      const min = limit(stringC, 'MinLength', 'StringAttributeConstraints', wireName);
      const max = limit(stringC, 'MaxLength', 'StringAttributeConstraints', wireName);
      if ((min !== undefined && Number(min) > 2048) || (max !== undefined && Number(max) > 2048)) {
        throw new InvalidParameterException(`user.${wireName}: String attributes cannot have a length of more than 2048`);
      }
      if (min !== undefined && max !== undefined && Number(min) > Number(max)) {
        throw new InvalidParameterException(`user.${wireName}: Max length cannot be less than min length.`);
      }
      attr.StringAttributeConstraints = { ...(min !== undefined ? { MinLength: min } : {}), ...(max !== undefined ? { MaxLength: max } : {}) };
    } else if (dataType === 'Number') {
      const min = limit(numberC, 'MinValue', 'NumberAttributeConstraints', wireName);
      const max = limit(numberC, 'MaxValue', 'NumberAttributeConstraints', wireName);
      if (min !== undefined && max !== undefined && Number(min) > Number(max)) {
        throw new InvalidParameterException(`user.${wireName}: Max value cannot be less than min value.`);
      }
      attr.NumberAttributeConstraints = { ...(min !== undefined ? { MinValue: min } : {}), ...(max !== undefined ? { MaxValue: max } : {}) };
    }
    out.push(attr);
  }
  return out;
}

/** DescribeUserPool's `SchemaAttributes`: the standard list with the pool's changes, then custom ones. */
export function schemaAttributes(schema: SchemaAttribute[] | undefined): SchemaAttribute[] {
  const own = new Map((schema ?? []).filter((a) => isStandardAttribute(a.Name)).map((a) => [a.Name, a]));
  const standard = STANDARD_SCHEMA.map((base) => {
    const change = own.get(base.Name);
    if (!change) return base;
    return { ...base, Mutable: change.Mutable ?? base.Mutable, Required: change.Required ?? base.Required };
  });
  const custom = (schema ?? []).filter((a) => !isStandardAttribute(a.Name)).map((a) => ({ ...a, Name: customAttributeName(a) }));
  return [...standard, ...custom];
}

/** Names a client may be given read (or write) access to: standard and custom attributes. */
export function readableAttributeNames(schema: SchemaAttribute[] | undefined): Set<string> {
  return new Set(schemaAttributes(schema).map((a) => a.Name).filter((n) => n !== 'sub'));
}

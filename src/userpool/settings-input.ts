// Reads nested Cognito settings structures (Policies.PasswordPolicy, TokenValidityUnits, …)
// with validate.ts's AWS wording, naming each value by its full path
// ("Policies.PasswordPolicy.MinimumLength") so a caller can see which member failed.
import { InvalidParameterException } from './errors.js';
import {
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStringList,
  quoteValue,
  requireString,
  type Input,
  type StringRule,
} from './validate.js';

function violation(label: string, value: unknown, constraint: string): never {
  const shown = typeof value === 'string' ? `${quoteValue(value)} ` : '';
  throw new InvalidParameterException(`1 validation error detected: Value ${shown}at '${label}' failed to satisfy constraint: ${constraint}`);
}

/** One structure of a request, and where it sits in the request. */
export class Reader {
  constructor(
    readonly input: Input,
    readonly path = '',
  ) {}

  label(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  has(key: string): boolean {
    return this.input[key] !== undefined && this.input[key] !== null;
  }

  private one(key: string): Input {
    return { [this.label(key)]: this.input[key] };
  }

  string(key: string, rule: StringRule = {}): string | undefined {
    return optionalString(this.one(key), this.label(key), rule);
  }

  requiredString(key: string, rule: StringRule = {}): string {
    return requireString(this.one(key), this.label(key), rule);
  }

  integer(key: string, min: number, max: number): number | undefined {
    return optionalInteger(this.one(key), this.label(key), min, max);
  }

  boolean(key: string): boolean | undefined {
    return optionalBoolean(this.one(key), this.label(key));
  }

  object(key: string): Reader | undefined {
    const value = optionalObject(this.one(key), this.label(key));
    return value === undefined ? undefined : new Reader(value, this.label(key));
  }

  enumOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      violation(this.label(key), value, `Member must satisfy enum value set: [${values.join(', ')}]`);
    }
    return value as T;
  }

  stringList(key: string, rule: StringRule = {}, maxItems = 1000, minItems = 0): string[] | undefined {
    const list = optionalStringList(this.one(key), this.label(key), rule, maxItems);
    if (list !== undefined && list.length < minItems) {
      violation(this.label(key), undefined, `Member must have length greater than or equal to ${minItems}`);
    }
    return list;
  }

  enumList<T extends string>(key: string, values: readonly T[], maxItems = 1000, minItems = 0): T[] | undefined {
    const list = this.stringList(key, {}, maxItems, minItems);
    list?.forEach((v, i) => {
      if (!(values as readonly string[]).includes(v)) {
        violation(`${this.label(key)}.${i + 1}.member`, v, `Member must satisfy enum value set: [${values.join(', ')}]`);
      }
    });
    return list as T[] | undefined;
  }

  /** A list of structures. */
  list(key: string, minItems: number, maxItems: number): Reader[] | undefined {
    const value = this.input[key];
    if (value === undefined || value === null) return undefined;
    const label = this.label(key);
    if (!Array.isArray(value)) violation(label, undefined, 'Member must be a list');
    if (value.length < minItems) violation(label, undefined, `Member must have length greater than or equal to ${minItems}`);
    if (value.length > maxItems) violation(label, undefined, `Member must have length less than or equal to ${maxItems}`);
    return value.map((item, i) => {
      const at = `${label}.${i + 1}.member`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) violation(at, undefined, 'Member must be a structure');
      return new Reader(item as Input, at);
    });
  }

  /** A map of strings to strings (tags). */
  stringMap(key: string, keyRule: StringRule, valueRule: StringRule, maxEntries: number): Record<string, string> | undefined {
    const map = this.object(key);
    if (!map) return undefined;
    const entries = Object.keys(map.input);
    if (entries.length > maxEntries) violation(map.path, undefined, `Member must have length less than or equal to ${maxEntries}`);
    const out: Record<string, string> = {};
    for (const k of entries) {
      optionalString({ [`${map.path}.key`]: k }, `${map.path}.key`, { min: 1, ...keyRule });
      const v = map.string(k, valueRule);
      if (v === undefined) violation(`${map.path}.${k}`, undefined, 'Member must not be null');
      out[k] = v;
    }
    return out;
  }
}

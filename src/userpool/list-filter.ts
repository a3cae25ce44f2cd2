// ListUsers' Filter: `AttributeName Filter-Type "AttributeValue"`, one attribute, `=` for
// an exact match and `^=` for a prefix; quotation marks inside the value are escaped with
// a backslash; an empty filter lists everyone (Cognito API reference, ListUsers). AWS's own
// examples also write it without spaces and with the name quoted: `"email"^="testuser"`.

/** The only attributes Cognito searches; custom attributes are not searchable. */
export const SEARCHABLE_ATTRIBUTES = [
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
] as const;

export type SearchableAttribute = (typeof SEARCHABLE_ATTRIBUTES)[number];

export interface UserFilter {
  name: SearchableAttribute;
  op: '=' | '^=';
  value: string;
}

export type FilterParse = { ok: true; filter: UserFilter | undefined } | { ok: false; problem: string };

const SEARCHABLE: ReadonlySet<string> = new Set(SEARCHABLE_ATTRIBUTES);

/** Reads a `"…"` string starting at `at` (the opening quote); returns its text and the index after it. */
function readQuoted(text: string, at: number): { value: string; end: number } | undefined {
  let value = '';
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      if (i + 1 >= text.length) return undefined;
      value += text[++i];
    } else if (c === '"') {
      return { value, end: i + 1 };
    } else {
      value += c;
    }
  }
  return undefined;
}

function skipSpaces(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}

export function parseUserFilter(text: string): FilterParse {
  let i = skipSpaces(text, 0);
  if (i === text.length) return { ok: true, filter: undefined };

  let name: string;
  if (text[i] === '"') {
    const quoted = readQuoted(text, i);
    if (!quoted) return { ok: false, problem: 'the attribute name has no closing quotation mark' };
    name = quoted.value;
    i = quoted.end;
  } else {
    const start = i;
    while (i < text.length && !/[\s="^]/.test(text[i]!)) i++;
    name = text.slice(start, i);
  }
  if (name.length === 0) return { ok: false, problem: 'expected an attribute name' };

  i = skipSpaces(text, i);
  let op: '=' | '^=';
  if (text.startsWith('^=', i)) {
    op = '^=';
    i += 2;
  } else if (text[i] === '=') {
    op = '=';
    i += 1;
  } else {
    return { ok: false, problem: `expected = or ^= after ${name}` };
  }

  i = skipSpaces(text, i);
  if (text[i] !== '"') return { ok: false, problem: 'the value must be in quotation marks' };
  const quoted = readQuoted(text, i);
  if (!quoted) return { ok: false, problem: 'the value has no closing quotation mark' };
  i = skipSpaces(text, quoted.end);
  if (i !== text.length) return { ok: false, problem: 'unexpected text after the value (only one attribute can be searched)' };

  if (!SEARCHABLE.has(name)) {
    return { ok: false, problem: `${name} is not a searchable attribute (searchable: ${SEARCHABLE_ATTRIBUTES.join(', ')})` };
  }
  // cognito:user_status is matched case-insensitively; the statuses are stored upper-case.
  const value = name === 'cognito:user_status' ? quoted.value.toUpperCase() : quoted.value;
  return { ok: true, filter: { name: name as SearchableAttribute, op, value } };
}

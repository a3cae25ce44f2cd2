// U+0000 is refused once, at the edge, for every string of a request (values and map keys).
// PostgreSQL's text type cannot hold it ("invalid byte sequence for encoding UTF8: 0x00")
// while SQLite stores it: without this one check the same request answered 500 on one
// database and went through on the other (issue 13 #4). No Cognito field's pattern admits a
// control character either, so refusing it changes no answer a valid request gets.

const SHOWN_KEY_CHARS = 64;

function showKey(key: string): string {
  const cut = [...key].slice(0, SHOWN_KEY_CHARS).join('');
  return cut.replace(/\u0000/g, '\\u0000');
}

/**
 * The path of the first string (or key) in `value` that contains U+0000, in the dotted form
 * validation messages use (`UserAttributes.1.Value`, `AuthParameters.USERNAME`; lists count
 * from 1), or undefined. Iterative, so a deeply nested body cannot overflow the stack.
 */
export function findNul(value: unknown, root = ''): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], join(path, String(i + 1))]);
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        if (k.includes('\u0000')) return join(path, showKey(k));
        stack.push([child, join(path, k)]);
      }
    }
  }
  return undefined;
}

export const NUL_CONSTRAINT = 'Member must not contain the character U+0000';

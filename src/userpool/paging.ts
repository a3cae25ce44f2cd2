// Opaque NextToken values for the List* operations: which listing they belong to and the
// last id returned. Callers must not rely on their form, as with Cognito's own tokens.
import { InvalidParameterException } from './errors.js';

export function pageToken(listing: string, lastId: string): string {
  return Buffer.from(JSON.stringify({ l: listing, a: lastId }), 'utf8').toString('base64url');
}

/** The id to continue after; InvalidParameterException when the token is not one of ours for this listing. */
export function readPageToken(listing: string, token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) {
      const { l, a } = parsed as { l?: unknown; a?: unknown };
      if (l === listing && typeof a === 'string') return a;
    }
  } catch {
    // fall through
  }
  throw new InvalidParameterException('NextToken: the pagination token is invalid for this request.');
}

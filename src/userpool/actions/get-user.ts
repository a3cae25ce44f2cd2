import type { GetUserRequest, GetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { accessFromInput } from '../access.js';
import { attributeList } from '../user-view.js';
import type { Attributes } from '../model.js';

/** The signed-in user's username and attributes, as the access token's client may read them. */
export const getUser: Action<GetUserRequest, Wire<GetUserResponse>, 'store' | 'clock' | 'tokens'> = {
  name: 'GetUser',
  auth: 'public',
  category: 'UserAccount',
  async run(deps, input) {
    const { user, claims } = await accessFromInput(deps, input);
    const attributes = await deps.store.users.getAttributes(user.sub);
    const client = await deps.store.clients.findClient(claims.client_id);
    const readable = client?.settings.ReadAttributes;
    let shown: Attributes = attributes;
    if (readable && readable.length > 0) {
      const allowed = new Set(readable);
      shown = Object.fromEntries(Object.entries(attributes).filter(([name]) => allowed.has(name)));
    }
    return { Username: user.username, UserAttributes: attributeList(user, shown) };
  },
};

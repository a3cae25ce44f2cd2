import type { GlobalSignOutRequest, GlobalSignOutResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { accessFromInput } from '../access.js';

/** Ends every session of the user: all refresh tokens, and the access tokens issued under them. */
export const globalSignOut: Action<GlobalSignOutRequest, Wire<GlobalSignOutResponse>, 'store' | 'clock' | 'tokens'> = {
  name: 'GlobalSignOut',
  auth: 'public',
  category: 'UserAccount',
  async run(deps, input) {
    const { user } = await accessFromInput(deps, input);
    await deps.store.transaction((tx) => tx.sessions.revokeUserSessions(user.sub, deps.clock.nowMs()));
    return {};
  },
};

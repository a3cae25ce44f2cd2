import type { DeleteUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { NoOutput } from '../wire.js';
import { accessFromInput } from '../access.js';

/** The signed-in user deletes their own account: the user, attributes, codes and sessions, in one transaction. */
export const deleteUser: Action<DeleteUserRequest, NoOutput, 'store' | 'clock' | 'tokens'> = {
  name: 'DeleteUser',
  auth: 'public',
  category: 'UserAccount',
  async run(deps, input) {
    const { user } = await accessFromInput(deps, input);
    await deps.store.transaction((tx) => tx.users.deleteUser(user.sub));
    return {};
  },
};

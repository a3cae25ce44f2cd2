import type { AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { CLIENT_ID_RULE, USER_POOL_ID_RULE, optionalObject, optionalString, requireString } from '../validate.js';
import { requireClient, requirePool } from '../lookups.js';
import { ResourceNotFoundException } from '../errors.js';
import { requireEnum, stringMap } from '../sign-in.js';
import { CHALLENGE_NAMES, SESSION_RULE, answerChallenge } from '../new-password-challenge.js';

export const adminRespondToAuthChallenge: Action<AdminRespondToAuthChallengeRequest, Wire<AdminRespondToAuthChallengeResponse>, 'store' | 'clock' | 'random' | 'passwords' | 'tokens' | 'codeKey'> = {
  name: 'AdminRespondToAuthChallenge',
  auth: 'admin',
  category: 'UserAuthentication',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const clientId = requireString(input, 'ClientId', CLIENT_ID_RULE);
    const challengeName = requireEnum(input, 'ChallengeName', CHALLENGE_NAMES);
    const session = optionalString(input, 'Session', SESSION_RULE);
    const responses = stringMap(input, 'ChallengeResponses');
    optionalObject(input, 'ClientMetadata');
    optionalObject(input, 'AnalyticsMetadata');
    optionalObject(input, 'ContextData');

    const pool = await requirePool(deps.store, poolId);
    const { client } = await requireClient(deps.store, clientId);
    if (client.poolId !== pool.id) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
    return answerChallenge(deps, { pool, client, challengeName, session, responses });
  },
};

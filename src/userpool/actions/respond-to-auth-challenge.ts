import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { CLIENT_ID_RULE, optionalObject, optionalString, requireString } from '../validate.js';
import { requireClient } from '../lookups.js';
import { requireEnum, stringMap } from '../sign-in.js';
import { CHALLENGE_NAMES, SESSION_RULE, answerChallenge } from '../new-password-challenge.js';

/** The public answer to a sign-in challenge; todoku issues only NEW_PASSWORD_REQUIRED. */
export const respondToAuthChallenge: Action<RespondToAuthChallengeRequest, Wire<RespondToAuthChallengeResponse>, 'store' | 'clock' | 'random' | 'passwords' | 'tokens' | 'codeKey'> = {
  name: 'RespondToAuthChallenge',
  auth: 'public',
  category: 'UserAuthentication',
  async run(deps, input) {
    const clientId = requireString(input, 'ClientId', CLIENT_ID_RULE);
    const challengeName = requireEnum(input, 'ChallengeName', CHALLENGE_NAMES);
    const session = optionalString(input, 'Session', SESSION_RULE);
    const responses = stringMap(input, 'ChallengeResponses');
    optionalObject(input, 'ClientMetadata');
    optionalObject(input, 'AnalyticsMetadata');
    optionalObject(input, 'UserContextData');

    const { client, pool } = await requireClient(deps.store, clientId);
    return answerChallenge(deps, { pool, client, challengeName, session, responses });
  },
};

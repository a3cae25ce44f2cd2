// Cognito's exceptions, named exactly as AWS names them on the wire (`__type`).
// Only the HTTP edge serialises them; anything else thrown is a bug and becomes a 500.

export class CognitoError extends Error {
  /** The AWS `__type`, e.g. "CodeMismatchException". */
  readonly type: string;
  readonly statusCode: number;
  constructor(type: string, message: string, statusCode = 400) {
    super(message);
    this.type = type;
    this.name = type;
    this.statusCode = statusCode;
  }
}

function define(type: string, statusCode = 400) {
  return class extends CognitoError {
    constructor(message: string) {
      super(type, message, statusCode);
    }
  };
}

export const InvalidParameterException = define('InvalidParameterException');
export const InvalidPasswordException = define('InvalidPasswordException');
export const UsernameExistsException = define('UsernameExistsException');
export const AliasExistsException = define('AliasExistsException');
export const UserNotFoundException = define('UserNotFoundException');
export const UserNotConfirmedException = define('UserNotConfirmedException');
export const NotAuthorizedException = define('NotAuthorizedException');
export const CodeMismatchException = define('CodeMismatchException');
export const ExpiredCodeException = define('ExpiredCodeException');
export const LimitExceededException = define('LimitExceededException');
export const TooManyFailedAttemptsException = define('TooManyFailedAttemptsException');
export const TooManyRequestsException = define('TooManyRequestsException');
export const ResourceNotFoundException = define('ResourceNotFoundException');
export const CodeDeliveryFailureException = define('CodeDeliveryFailureException');
export const InvalidEmailRoleAccessPolicyException = define('InvalidEmailRoleAccessPolicyException');
export const UnsupportedOperationException = define('UnsupportedOperationException');
export const UnsupportedTokenTypeException = define('UnsupportedTokenTypeException');
export const UnauthorizedException = define('UnauthorizedException');
export const PasswordResetRequiredException = define('PasswordResetRequiredException');
export const UnsupportedUserStateException = define('UnsupportedUserStateException');
export const InvalidUserPoolConfigurationException = define('InvalidUserPoolConfigurationException');
export const UserPoolTaggingException = define('UserPoolTaggingException');
export const ConcurrentModificationException = define('ConcurrentModificationException');
export const InternalErrorException = define('InternalErrorException', 500);
// Protocol-level errors AWS returns before an operation runs.
export const SerializationException = define('SerializationException');
export const UnknownOperationException = define('UnknownOperationException');
export const MissingAuthenticationTokenException = define('MissingAuthenticationTokenException', 403);
export const UnrecognizedClientException = define('UnrecognizedClientException', 400);
export const InvalidSignatureException = define('InvalidSignatureException', 400);
export const IncompleteSignatureException = define('IncompleteSignatureException', 400);
export const AccessDeniedException = define('AccessDeniedException', 400);

import { defineError } from './cognito-error.js';

/**
 * The error catalog: one class per Cognito `__type`. Real Cognito answers every client-side error
 * with HTTP 400 and InternalErrorException with 500 (COGNITO_REFERENCE §1.6); the default messages
 * are Cognito's own texts where they are known.
 */
export const InvalidParameterException = defineError('InvalidParameterException', 400, 'Invalid parameter.');
export const NotAuthorizedException = defineError('NotAuthorizedException', 400, 'Incorrect username or password.');
export const ResourceNotFoundException = defineError('ResourceNotFoundException', 400, 'Resource not found.');
export const UserNotFoundException = defineError('UserNotFoundException', 400, 'User does not exist.');
export const UsernameExistsException = defineError('UsernameExistsException', 400, 'User already exists');
export const AliasExistsException = defineError('AliasExistsException', 400, 'An account with the email already exists.');
export const UserNotConfirmedException = defineError('UserNotConfirmedException', 400, 'User is not confirmed.');
export const PasswordResetRequiredException = defineError('PasswordResetRequiredException', 400, 'Password reset required for the user');
export const InvalidPasswordException = defineError('InvalidPasswordException', 400, 'Password does not conform to policy');
export const CodeMismatchException = defineError('CodeMismatchException', 400, 'Invalid verification code provided, please try again.');
export const ExpiredCodeException = defineError('ExpiredCodeException', 400, 'Invalid code provided, please request a code again.');
export const LimitExceededException = defineError('LimitExceededException', 400, 'Attempt limit exceeded, please try after some time.');
export const TooManyFailedAttemptsException = defineError('TooManyFailedAttemptsException', 400, 'Too many failed attempts.');
export const TooManyRequestsException = defineError('TooManyRequestsException', 400, 'Rate exceeded');
export const CodeDeliveryFailureException = defineError('CodeDeliveryFailureException', 400, 'Unable to deliver the code.');
export const UnsupportedTokenTypeException = defineError('UnsupportedTokenTypeException', 400, 'Unsupported token type.');
export const UnsupportedOperationException = defineError('UnsupportedOperationException', 400, 'Token revocation is not enabled for this client.');
export const UnauthorizedException = defineError('UnauthorizedException', 400, 'Unauthorized.');
export const RefreshTokenReuseException = defineError('RefreshTokenReuseException', 400, 'Refresh token has been used already.');
export const UnsupportedUserStateException = defineError('UnsupportedUserStateException', 400, 'The user is in a state that does not support this operation.');
export const GroupExistsException = defineError('GroupExistsException', 400, 'A group with the name already exists.');
export const InvalidUserPoolConfigurationException = defineError('InvalidUserPoolConfigurationException', 400, 'Invalid user pool configuration.');
export const InternalErrorException = defineError('InternalErrorException', 500, 'Internal server error.');

// Protocol-level errors (the JSON 1.1 framing and SigV4), not modeled per operation.
export const UnknownOperationException = defineError('UnknownOperationException', 400, 'Unknown operation.');
export const SerializationException = defineError('SerializationException', 400, 'The request body could not be parsed as JSON.');
export const RequestEntityTooLargeException = defineError('RequestEntityTooLargeException', 413, 'Request body is too large.');
export const MissingAuthenticationTokenException = defineError('MissingAuthenticationTokenException', 400, 'Missing Authentication Token');
export const IncompleteSignatureException = defineError('IncompleteSignatureException', 400, 'The request signature does not conform to AWS standards.');
export const InvalidSignatureException = defineError(
  'InvalidSignatureException',
  400,
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
);
export const UnrecognizedClientException = defineError('UnrecognizedClientException', 400, 'The security token included in the request is invalid.');

/** Errors that any operation may raise, whatever it declares. */
export const PROTOCOL_ERRORS = [
  InternalErrorException,
  UnknownOperationException,
  SerializationException,
  RequestEntityTooLargeException,
  MissingAuthenticationTokenException,
  IncompleteSignatureException,
  InvalidSignatureException,
  UnrecognizedClientException,
  TooManyRequestsException,
] as const;

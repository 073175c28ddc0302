/** A problem to show the user: words, and sometimes a link to the page that solves it. */
export interface Problem {
  text: string;
  link?: { href: string; label: string };
}

export type Step = 'register' | 'verify' | 'resend' | 'sign-in' | 'ride';

interface CognitoLikeError {
  code?: string;
  name?: string;
  message?: string;
}

const PASSWORD_RULES: [RegExp, string][] = [
  [/not long enough/i, 'it must be at least 8 characters long'],
  [/uppercase/i, 'it needs an uppercase letter (A–Z)'],
  [/lowercase/i, 'it needs a lowercase letter (a–z)'],
  [/numeric/i, 'it needs a number (0–9)'],
  [/symbol/i, 'it needs a symbol, such as ! ? - _ or #'],
];

const verifyLink = (email: string) => ({ href: `verify.html?email=${encodeURIComponent(email)}`, label: 'Verify your email' });
const signInLink = (email: string) => ({ href: `signin.html?email=${encodeURIComponent(email)}`, label: 'Sign in' });

/**
 * Cognito's error codes (the `__type` the API answers, as amazon-cognito-identity-js reports it in
 * `code`) in words a rider understands, for the step that failed.
 */
export function describeError(error: unknown, step: Step, email = ''): Problem {
  const err = (error ?? {}) as CognitoLikeError;
  const code = err.code ?? err.name ?? '';
  const message = err.message ?? String(error);
  switch (code) {
    case 'UsernameExistsException':
      return { text: 'An account with this email already exists. Sign in, or verify the email if you have not done so yet.', link: signInLink(email) };
    case 'InvalidPasswordException': {
      const rule = PASSWORD_RULES.find(([pattern]) => pattern.test(message));
      return { text: `That password does not follow the rules: ${rule ? rule[1] : 'see the list below the password field'}.` };
    }
    case 'CodeMismatchException':
      return { text: 'That code is not right. Check the latest email from Wild Rydes and type the 6 digits again.' };
    case 'ExpiredCodeException':
      return { text: 'That code has expired or was never sent. Press “Send a new code” and use the code from the newest email.' };
    case 'UserNotConfirmedException':
      return { text: 'This account is not verified yet. Enter the code we emailed you first.', link: verifyLink(email) };
    case 'LimitExceededException':
      return { text: 'Too many attempts. Please wait a while and try again.' };
    case 'TooManyRequestsException':
      return { text: 'The server is busy right now. Please try again in a moment.' };
    case 'UserNotFoundException':
      return { text: 'We could not find an account with this email.' };
    case 'NotAuthorizedException':
      if (/current status is confirmed/i.test(message)) return { text: 'This account is already verified. You can sign in.', link: signInLink(email) };
      if (/attempts exceeded/i.test(message)) return { text: 'Too many wrong passwords. Please wait a moment before trying again.' };
      if (/disabled/i.test(message)) return { text: 'This account is disabled. Please contact the Wild Rydes team.' };
      if (step === 'sign-in') return { text: 'Incorrect username or password.' };
      return { text: `That is not allowed: ${message}` };
    case 'InvalidParameterException':
      if (/already confirmed/i.test(message)) return { text: 'This account is already verified. You can sign in.', link: signInLink(email) };
      if (/email|username should be/i.test(message)) return { text: 'Please enter a valid email address, such as rider@example.com.' };
      if (/password/i.test(message)) return { text: 'That password does not follow the rules: it must be 8 to 256 characters long.' };
      if (/code/i.test(message)) return { text: 'The code is the 6 digits from the email we sent you.' };
      return { text: `Some of what you entered is not accepted: ${message}` };
    case 'NetworkError':
      return { text: 'Could not reach the Wild Rydes server. Check your connection and try again.' };
    case 'NewPasswordRequired':
    case 'MfaRequired':
      return { text: message };
    default:
      if (error instanceof TypeError) return { text: 'Could not reach the Wild Rydes server. Check your connection and try again.' };
      return { text: `Something went wrong: ${message}` };
  }
}

import { describe, expect, it } from 'vitest';
import { describeError } from '../../../web/demo/src/errors.js';

/** The demo site's words for Cognito's error codes (as amazon-cognito-identity-js reports them in `code`). */
const err = (code: string, message = '') => Object.assign(new Error(message), { code, name: code });

describe('describeError', () => {
  it('puts each error code the site meets into words', () => {
    const cases: [Parameters<typeof describeError>[1], Error, RegExp][] = [
      ['register', err('UsernameExistsException', 'An account with the given email already exists.'), /already exists/],
      ['register', err('InvalidPasswordException', 'Password did not conform with policy: Password must have symbol characters'), /needs a symbol/],
      ['register', err('InvalidPasswordException', 'Password did not conform with policy: Password not long enough'), /at least 8 characters/],
      ['register', err('InvalidParameterException', 'Username should be an email.'), /valid email address/],
      ['verify', err('CodeMismatchException', 'Invalid verification code provided, please try again.'), /^That code is not right/],
      ['verify', err('ExpiredCodeException', 'Invalid code provided, please request a code again.'), /expired.*Send a new code/],
      ['verify', err('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED'), /already verified/],
      ['resend', err('InvalidParameterException', 'User is already confirmed.'), /already verified/],
      ['resend', err('LimitExceededException', 'Attempt limit exceeded, please try after some time.'), /Too many attempts/],
      ['sign-in', err('NotAuthorizedException', 'Incorrect username or password.'), /^Incorrect username or password\.$/],
      ['sign-in', err('NotAuthorizedException', 'Password attempts exceeded'), /Too many wrong passwords/],
      ['sign-in', err('NetworkError', 'Network error'), /Could not reach/],
    ];
    for (const [step, error, words] of cases) expect(describeError(error, step, 'r@example.com').text, error.message).toMatch(words);
  });

  it('links an unconfirmed rider to the verify page with the email filled in', () => {
    expect(describeError(err('UserNotConfirmedException', 'User is not confirmed.'), 'sign-in', 'r+1@example.com')).toEqual({
      text: expect.stringContaining('not verified yet'),
      link: { href: 'verify.html?email=r%2B1%40example.com', label: 'Verify your email' },
    });
  });

  it('never shows a bare code', () => {
    expect(describeError(err('SomethingNewException', 'Odd.'), 'register').text).toBe('Something went wrong: Odd.');
  });
});

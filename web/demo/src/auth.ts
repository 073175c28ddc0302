import {
  AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool, type CognitoUserSession, type ISignUpResult,
} from 'amazon-cognito-identity-js';
import { siteConfig } from './config.js';

/**
 * The Cognito calls of the site, as promises, through the official amazon-cognito-identity-js pointed
 * at Cognate (`endpoint`). Sign-in is SRP (USER_SRP_AUTH), the library's default, as in the workshop.
 * The pool's usernames are email addresses, so the email is the username.
 */

let pool: CognitoUserPool | undefined;

export function userPool(): CognitoUserPool {
  const { cognito } = siteConfig();
  pool ??= new CognitoUserPool({ UserPoolId: cognito.userPoolId, ClientId: cognito.userPoolClientId, endpoint: cognito.endpoint });
  return pool;
}

const userFor = (email: string) => new CognitoUser({ Username: email, Pool: userPool() });

type Callback<T> = (err: Error | undefined | null, result?: T) => void;
const call = <T>(fn: (cb: Callback<T>) => void) =>
  new Promise<T>((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result as T))));

export function signUp(email: string, password: string): Promise<ISignUpResult> {
  const attributes = [new CognitoUserAttribute({ Name: 'email', Value: email })];
  return call<ISignUpResult>((cb) => userPool().signUp(email, password, attributes, [], cb));
}

export function confirmSignUp(email: string, code: string): Promise<unknown> {
  return call((cb) => userFor(email).confirmRegistration(code, true, cb));
}

export interface CodeDelivery {
  CodeDeliveryDetails?: { Destination?: string; DeliveryMedium?: string; AttributeName?: string };
}

export function resendCode(email: string): Promise<CodeDelivery> {
  return call<CodeDelivery>((cb) => userFor(email).resendConfirmationCode(cb as Callback<unknown>));
}

export function signIn(email: string, password: string): Promise<CognitoUserSession> {
  const user = userFor(email);
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
      // The demo pool has no MFA and no admin-created users; say so rather than hang.
      newPasswordRequired: () => reject(Object.assign(new Error('This account needs a new password, which this demo does not support.'), { code: 'NewPasswordRequired' })),
      mfaRequired: () => reject(Object.assign(new Error('This account needs MFA, which this demo does not support.'), { code: 'MfaRequired' })),
      totpRequired: () => reject(Object.assign(new Error('This account needs MFA, which this demo does not support.'), { code: 'MfaRequired' })),
    }),
  );
}

export interface SignedIn {
  user: CognitoUser;
  session: CognitoUserSession;
}

/** The signed-in user and a valid session (refreshed with the refresh token if needed), or undefined. */
export async function currentSession(): Promise<SignedIn | undefined> {
  const user = userPool().getCurrentUser();
  if (!user) return undefined;
  try {
    const session = await call<CognitoUserSession | null>((cb) => user.getSession(cb));
    return session?.isValid() ? { user, session } : undefined;
  } catch {
    return undefined;
  }
}

/** Revokes the refresh token (and the tokens issued from it) and forgets the session in this browser. */
export async function signOut(user: CognitoUser): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => user.signOut((err?: unknown) => (err ? reject(err) : resolve())));
  } catch {
    // Revocation failed (offline, session already gone): still forget the tokens here.
    user.signOut();
  }
}

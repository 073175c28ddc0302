// Signs an administrator in to the internal console pool with the official amazon-cognito-identity-js
// (SRP), exactly as any Cognito web app would. Its tokens live only in memory: the ID token is traded
// for the console's session cookie and then forgotten.
import {
  AuthenticationDetails, CognitoUser, CognitoUserPool, type IAuthenticationCallback, type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import type { ConsoleConfig } from './api';

/** identity-js keeps tokens in a Storage; this one is a Map, cleared as soon as an attempt ends. */
class MemoryStorage implements ICognitoStorage {
  private readonly items = new Map<string, string>();
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}

export type SignInStep =
  | { kind: 'signed-in'; idToken: string }
  /** The administrator still has a temporary password (FORCE_CHANGE_PASSWORD) and must choose one. */
  | { kind: 'new-password'; complete(newPassword: string): Promise<SignInStep> };

function messageOf(err: unknown): string {
  return err instanceof Error && err.message ? err.message : 'Sign-in failed.';
}

function callbacks(user: CognitoUser, storage: MemoryStorage, resolve: (step: SignInStep) => void, reject: (err: Error) => void): IAuthenticationCallback {
  const fail = (err: unknown) => {
    storage.clear();
    reject(new Error(messageOf(err)));
  };
  const unsupported = (what: string) => () => fail(new Error(`This account needs ${what}, which the console does not support yet.`));
  return {
    onSuccess: (session) => {
      const idToken = session.getIdToken().getJwtToken();
      storage.clear();
      resolve({ kind: 'signed-in', idToken });
    },
    onFailure: fail,
    newPasswordRequired: () =>
      resolve({
        kind: 'new-password',
        complete: (newPassword) =>
          new Promise<SignInStep>((res, rej) => user.completeNewPasswordChallenge(newPassword, {}, callbacks(user, storage, res, rej))),
      }),
    mfaRequired: unsupported('an SMS code'),
    totpRequired: unsupported('an authenticator code'),
    mfaSetup: unsupported('MFA set-up'),
    selectMFAType: unsupported('an MFA choice'),
    customChallenge: unsupported('a custom challenge'),
  };
}

/** SRP sign-in against the console pool; resolves with the ID token or the new-password step. */
export function signIn(config: ConsoleConfig, username: string, password: string): Promise<SignInStep> {
  const storage = new MemoryStorage();
  const pool = new CognitoUserPool({ UserPoolId: config.userPoolId, ClientId: config.clientId, endpoint: config.endpoint, Storage: storage });
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  return new Promise<SignInStep>((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), callbacks(user, storage, resolve, reject));
  });
}

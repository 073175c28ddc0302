import {
  AdminConfirmSignUpCommand, AdminDeleteUserCommand, AdminGetUserCommand, CognitoIdentityProviderClient, ConfirmSignUpCommand, GetUserCommand,
  GlobalSignOutCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, RevokeTokenCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Endpoint } from './cognate-process.js';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from './sdk-srp.js';
import type { SmtpSink } from './smtp-sink.js';
import { ADMIN } from './test-server.js';

export const PASSWORD = 'Crash-Durable-1';

export type Status = 'UNCONFIRMED' | 'CONFIRMED' | 'DELETED';

/**
 * What the acknowledged (2xx) requests about one user left behind. An unanswered request may or may
 * not have happened: it adds a second possible status (`or`) or forgets the tokens it touched, and
 * is never counted either way.
 */
export interface Ledger {
  email: string;
  status: Status;
  or?: Status;
  /** Refresh tokens that must keep working. */
  live: string[];
  /** Refresh tokens that must stay revoked. */
  revoked: string[];
  /** Access tokens that must stay revoked (their family was revoked, or the user signed out everywhere). */
  revokedAccess: string[];
  /** The newest sign-in, still valid. */
  session?: { access: string; refresh: string };
  /** An answered error left it unknown (the run fails on that anyway): not verified. */
  tainted?: boolean;
}

/** The official SDK clients for one server process (its port changes with every restart). */
export class Api {
  readonly sdk: CognitoIdentityProviderClient;
  readonly admin: CognitoIdentityProviderClient;

  constructor(readonly endpoint: Endpoint) {
    const base = { endpoint: `${endpoint.url}/`, region: 'us-east-1', maxAttempts: 1 };
    this.sdk = new CognitoIdentityProviderClient({ ...base, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } });
    this.admin = new CognitoIdentityProviderClient({ ...base, credentials: ADMIN });
  }

  destroy(): void {
    this.sdk.destroy();
    this.admin.destroy();
  }
}

/** Did the server answer (with an error)? A request cut off by the kill has no HTTP status. */
export function answered(err: unknown): boolean {
  const metadata = typeof err === 'object' && err !== null ? (err as { $metadata?: { httpStatusCode?: unknown } }).$metadata : undefined;
  return typeof metadata?.httpStatusCode === 'number';
}

/** One request of the load: `run` updates the ledger once the answer is 2xx; `unanswered` says what is then unknown. */
export interface Action {
  op: string;
  run(): Promise<void>;
  /** Returns false when the loop should give the user up. */
  unanswered(): boolean;
}

export function signUp(api: Api, email: string, onAck: (ledger: Ledger) => void): Action {
  return {
    op: 'SignUp',
    async run() {
      await api.sdk.send(new SignUpCommand({ ClientId: api.endpoint.clientId, Username: email, Password: PASSWORD }));
      onAck({ email, status: 'UNCONFIRMED', live: [], revoked: [], revokedAccess: [] });
    },
    unanswered: () => false,
  };
}

/** The server went down while the action waited for something other than the server (the mail): nothing was sent. */
export class NotSent extends Error {}

/**
 * ConfirmSignUp with the mailed code; AdminConfirmSignUp when the mail does not come within 1.5 s (after a
 * kill a queued mail may wait out the dead process's lease). `up` says whether the server is still up.
 */
export function confirm(api: Api, ledger: Ledger, sink: SmtpSink, byCode: boolean, up: () => boolean): Action {
  const action: Action = {
    op: byCode ? 'ConfirmSignUp' : 'AdminConfirmSignUp',
    async run() {
      const code = byCode ? await mailedCode(sink, ledger.email, up) : undefined;
      if (code) {
        await api.sdk.send(new ConfirmSignUpCommand({ ClientId: api.endpoint.clientId, Username: ledger.email, ConfirmationCode: code }));
      } else {
        action.op = 'AdminConfirmSignUp';
        await api.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: api.endpoint.poolId, Username: ledger.email }));
      }
      ledger.status = 'CONFIRMED';
    },
    unanswered() {
      ledger.or = 'CONFIRMED';
      return false;
    },
  };
  return action;
}

async function mailedCode(sink: SmtpSink, email: string, up: () => boolean): Promise<string | undefined> {
  const deadline = Date.now() + 1500;
  for (;;) {
    const mail = sink.messages.find((m) => JSON.stringify(m.to ?? '').toLowerCase().includes(email));
    if (mail) return /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
    if (!up()) throw new NotSent();
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function signIn(api: Api, ledger: Ledger, srp: boolean): Action {
  return {
    op: srp ? 'SRP sign-in' : 'password sign-in',
    async run() {
      const tokens = srp ? await srpSignIn(api, ledger.email) : await passwordSignIn(api, ledger.email);
      ledger.live.push(tokens.refresh);
      ledger.session = tokens;
    },
    // Nothing acknowledged changes: a token may or may not have been issued, and nobody holds it.
    unanswered: () => true,
  };
}

export async function passwordSignIn(api: Api, email: string): Promise<{ access: string; refresh: string }> {
  const r = await api.sdk.send(
    new InitiateAuthCommand({ ClientId: api.endpoint.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }),
  );
  return { access: r.AuthenticationResult!.AccessToken!, refresh: r.AuthenticationResult!.RefreshToken! };
}

async function srpSignIn(api: Api, email: string): Promise<{ access: string; refresh: string }> {
  const client = srpClient();
  const started = await api.sdk.send(
    new InitiateAuthCommand({ ClientId: api.endpoint.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: client.srpA } }),
  );
  const claim = passwordClaim(client, api.endpoint.poolId, PASSWORD, started.ChallengeParameters as PasswordVerifierChallenge);
  const done = await api.sdk.send(
    new RespondToAuthChallengeCommand({ ClientId: api.endpoint.clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: claim }),
  );
  return { access: done.AuthenticationResult!.AccessToken!, refresh: done.AuthenticationResult!.RefreshToken! };
}

export function revokeToken(api: Api, ledger: Ledger, refresh: string): Action {
  const forget = () => {
    ledger.live = ledger.live.filter((t) => t !== refresh);
    const session = ledger.session;
    ledger.session = session?.refresh === refresh ? undefined : session;
    return session?.refresh === refresh ? session.access : undefined;
  };
  return {
    op: 'RevokeToken',
    async run() {
      await api.sdk.send(new RevokeTokenCommand({ ClientId: api.endpoint.clientId, Token: refresh }));
      const access = forget();
      ledger.revoked.push(refresh);
      if (access) ledger.revokedAccess.push(access);
    },
    unanswered() {
      forget();
      return true;
    },
  };
}

export function globalSignOut(api: Api, ledger: Ledger, session: { access: string; refresh: string }): Action {
  return {
    op: 'GlobalSignOut',
    async run() {
      await api.sdk.send(new GlobalSignOutCommand({ AccessToken: session.access }));
      ledger.revoked.push(...ledger.live);
      ledger.revokedAccess.push(session.access);
      ledger.live = [];
      ledger.session = undefined;
    },
    unanswered() {
      ledger.live = [];
      ledger.session = undefined;
      return true;
    },
  };
}

export function adminDeleteUser(api: Api, ledger: Ledger): Action {
  return {
    op: 'AdminDeleteUser',
    async run() {
      await api.admin.send(new AdminDeleteUserCommand({ UserPoolId: api.endpoint.poolId, Username: ledger.email }));
      ledger.status = 'DELETED';
    },
    unanswered() {
      ledger.or = 'DELETED';
      return false;
    },
  };
}

/**
 * Checks through the API that what the ledger holds is there: the user with an allowed status (or gone,
 * if deleted), a confirmed user signs in, live refresh tokens refresh, revoked ones and revoked access
 * tokens are refused. Returns what is wrong.
 */
export async function verify(api: Api, ledger: Ledger): Promise<string[]> {
  if (ledger.tainted) return [];
  const problems: string[] = [];
  const who = ledger.email;
  const allowed = [ledger.status, ...(ledger.or ? [ledger.or] : [])];
  const status = await api.admin.send(new AdminGetUserCommand({ UserPoolId: api.endpoint.poolId, Username: who })).then(
    (u) => u.UserStatus as Status,
    (err: unknown) => {
      if (err instanceof Error && err.name === 'UserNotFoundException') return 'DELETED' as const;
      throw err;
    },
  );
  if (!allowed.includes(status)) problems.push(`${who}: status ${status}, acknowledged ${allowed.join(' or ')}`);
  if (status === 'DELETED') return problems;
  if (status === 'CONFIRMED') {
    await passwordSignIn(api, who).catch((err: unknown) => problems.push(`${who}: confirmed but cannot sign in: ${explain(err)}`));
  }
  const refresh = (token: string) =>
    api.sdk.send(new InitiateAuthCommand({ ClientId: api.endpoint.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }));
  for (const token of ledger.live) {
    await refresh(token).catch((err: unknown) => problems.push(`${who}: a live refresh token is refused: ${explain(err)}`));
  }
  for (const token of ledger.revoked) {
    const outcome = await refresh(token).then(() => 'accepted', (err: unknown) => (err instanceof Error ? err.name : String(err)));
    if (outcome !== 'NotAuthorizedException') problems.push(`${who}: a revoked refresh token was ${outcome}`);
  }
  for (const token of ledger.revokedAccess) {
    const outcome = await api.sdk.send(new GetUserCommand({ AccessToken: token })).then(() => 'accepted', (err: unknown) => (err instanceof Error ? err.name : String(err)));
    if (outcome !== 'NotAuthorizedException') problems.push(`${who}: a revoked access token was ${outcome}`);
  }
  if (ledger.session) {
    await api.sdk.send(new GetUserCommand({ AccessToken: ledger.session.access })).catch((err: unknown) => problems.push(`${who}: the session's access token is refused: ${explain(err)}`));
  }
  return problems;
}

export const explain = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

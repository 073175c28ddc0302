import { checkSecretHash, flowAllowed } from '../domain/clients.js';
import type { DomainDeps } from '../domain/deps.js';
import { answerNewPassword, newPasswordChallenge } from '../domain/passwords.js';
import { answerPasswordVerifier, completeSignIn, passwordSignIn, refreshSignIn, startSrp } from '../domain/sign-in.js';
import { InvalidParameterException } from '../errors/catalog.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/store.js';
import { authResultToWire } from './wire/common.js';

/**
 * The auth flows shared by InitiateAuth / AdminInitiateAuth and RespondToAuthChallenge /
 * AdminRespondToAuthChallenge: which flows each accepts, the parameters each needs, and the wire
 * shape of challenges and results.
 */
type Params = Record<string, string | undefined>;

function need(params: Params, name: string): string {
  const v = params[name];
  if (v === undefined || v === '') throw new InvalidParameterException(`Missing required parameter ${name}`);
  return v;
}

/** A NEW_PASSWORD_REQUIRED answer's `userAttributes.<name>` values, by name. */
function userAttributeAnswers(responses: Params): Record<string, string> {
  const prefix = 'userAttributes.';
  return Object.fromEntries(
    Object.entries(responses).flatMap(([key, value]) => (key.startsWith(prefix) && value !== undefined ? [[key.slice(prefix.length), value]] : [])),
  );
}

function requireFlow(client: ClientRecord, flow: string, message: string): void {
  if (!flowAllowed(client, flow)) throw new InvalidParameterException(message);
}

/** The password was right: tokens, or NEW_PASSWORD_REQUIRED for a user whose password is temporary. */
async function passwordProven(deps: DomainDeps, pool: PoolRecord, client: ClientRecord, user: UserRecord): Promise<object> {
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    const c = newPasswordChallenge(deps, pool, client, user);
    return { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: c.session, ChallengeParameters: c.parameters };
  }
  return authResultToWire(await completeSignIn(deps, pool, client, user));
}

export async function initiateAuth(
  deps: DomainDeps,
  pool: PoolRecord,
  client: ClientRecord,
  flow: string,
  params: Params,
  admin: boolean,
): Promise<object> {
  switch (flow) {
    case 'USER_SRP_AUTH': {
      requireFlow(client, 'ALLOW_USER_SRP_AUTH', 'USER_SRP_AUTH is not enabled for the client.');
      const username = need(params, 'USERNAME');
      const srpA = need(params, 'SRP_A');
      checkSecretHash(client, params.SECRET_HASH, [username]);
      const c = await startSrp(deps, pool, client, username, srpA);
      return {
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeParameters: { SALT: c.salt, SECRET_BLOCK: c.secretBlock, SRP_B: c.srpB, USERNAME: c.username, USER_ID_FOR_SRP: c.username },
      };
    }
    case 'USER_PASSWORD_AUTH':
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH': {
      const adminFlow = flow !== 'USER_PASSWORD_AUTH';
      if (adminFlow !== admin) throw new InvalidParameterException('Initiate Auth method not supported');
      if (adminFlow) requireFlow(client, 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'Auth flow not enabled for this client');
      else requireFlow(client, 'ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH flow not enabled for this client');
      const username = need(params, 'USERNAME');
      const password = need(params, 'PASSWORD');
      checkSecretHash(client, params.SECRET_HASH, [username]);
      const user = await passwordSignIn(deps, pool, client, username, password);
      return passwordProven(deps, pool, client, user);
    }
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN': {
      requireFlow(client, 'ALLOW_REFRESH_TOKEN_AUTH', 'Refresh Token Auth is not enabled for the client.');
      const token = need(params, 'REFRESH_TOKEN');
      // A missing hash is refused before the token is looked at; a given one must be over the user's
      // internal username (the access token's `username`, the sub in email-as-username pools), not the
      // name typed at sign-in.
      if (params.SECRET_HASH === undefined) checkSecretHash(client, undefined, []);
      const { tokens } = await refreshSignIn(deps, client, token, (username) => checkSecretHash(client, params.SECRET_HASH, [username]));
      return authResultToWire(tokens);
    }
    default:
      throw new InvalidParameterException(`The auth flow ${flow} is not supported by Cognate yet.`);
  }
}

export async function respondToChallenge(
  deps: DomainDeps,
  pool: PoolRecord,
  client: ClientRecord,
  challenge: string,
  responses: Params,
  session: string | undefined,
): Promise<object> {
  switch (challenge) {
    case 'PASSWORD_VERIFIER': {
      const username = need(responses, 'USERNAME');
      const answer = {
        username,
        secretBlock: need(responses, 'PASSWORD_CLAIM_SECRET_BLOCK'),
        timestamp: need(responses, 'TIMESTAMP'),
        signature: need(responses, 'PASSWORD_CLAIM_SIGNATURE'),
      };
      checkSecretHash(client, responses.SECRET_HASH, [username]);
      const user = await answerPasswordVerifier(deps, pool, client, answer);
      return passwordProven(deps, pool, client, user);
    }
    case 'NEW_PASSWORD_REQUIRED': {
      const username = need(responses, 'USERNAME');
      const password = need(responses, 'NEW_PASSWORD');
      checkSecretHash(client, responses.SECRET_HASH, [username]);
      const user = await answerNewPassword(deps, pool, client, session, username, password, userAttributeAnswers(responses));
      return authResultToWire(await completeSignIn(deps, pool, client, user));
    }
    default:
      throw new InvalidParameterException(`The challenge ${challenge} is not supported by Cognate yet.`);
  }
}

import { randomBytes } from 'node:crypto';
import { claimSignature, clientKey, computeX, formatTimestamp, hexToBigInt, modExp } from '../../src/crypto/srp.js';

/**
 * The client half of USER_SRP_AUTH, computed the way amazon-cognito-identity-js and Amplify do
 * (COGNITO_REFERENCE §2.3), for tests that drive InitiateAuth / RespondToAuthChallenge by hand.
 */
export interface SrpClient {
  a: bigint;
  A: bigint;
  /** SRP_A as the clients send it: plain lower-case hex. */
  srpA: string;
}

export function srpClient(): SrpClient {
  const a = hexToBigInt(randomBytes(128).toString('hex'));
  const A = modExp().gPow(a);
  return { a, A, srpA: A.toString(16) };
}

export interface PasswordVerifierChallenge {
  SALT?: string;
  SECRET_BLOCK?: string;
  SRP_B?: string;
  USERNAME?: string;
  USER_ID_FOR_SRP?: string;
}

export interface ClaimOptions {
  /** The date the TIMESTAMP shows (default: now). */
  at?: Date;
  /** Overrides the formatted TIMESTAMP; the signature is computed over exactly this text. */
  timestamp?: string;
}

/** The PASSWORD_VERIFIER ChallengeResponses for a password. */
export function passwordClaim(
  client: SrpClient,
  poolId: string,
  password: string,
  challenge: PasswordVerifierChallenge,
  options: ClaimOptions = {},
): { USERNAME: string; PASSWORD_CLAIM_SECRET_BLOCK: string; TIMESTAMP: string; PASSWORD_CLAIM_SIGNATURE: string } {
  const poolName = poolId.split('_')[1]!;
  const userId = challenge.USER_ID_FOR_SRP!;
  const x = computeX(poolName, userId, password, hexToBigInt(challenge.SALT!));
  const key = clientKey(client.a, client.A, hexToBigInt(challenge.SRP_B!), x);
  const timestamp = options.timestamp ?? formatTimestamp(options.at ?? new Date());
  const signature = claimSignature(key, poolName, userId, Buffer.from(challenge.SECRET_BLOCK!, 'base64'), timestamp);
  return {
    USERNAME: userId,
    PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK!,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: signature.toString('base64'),
  };
}

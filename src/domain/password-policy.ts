import { randomInt } from 'node:crypto';
import { randomString } from '../crypto/random.js';
import { InvalidPasswordException } from '../errors/catalog.js';
import type { PasswordPolicy } from './settings.js';

const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

/** The first rule of the policy that the password breaks (Cognito's order and words), or undefined. */
export function policyViolation(password: string, policy: PasswordPolicy): string | undefined {
  if ([...password].length < policy.minimumLength) return 'Password not long enough';
  if (policy.requireUppercase && !/[A-Z]/.test(password)) return 'Password must have uppercase characters';
  if (policy.requireLowercase && !/[a-z]/.test(password)) return 'Password must have lowercase characters';
  if (policy.requireNumbers && !/[0-9]/.test(password)) return 'Password must have numeric characters';
  if (policy.requireSymbols && ![...password].some((c) => SYMBOLS.has(c))) return 'Password must have symbol characters';
  return undefined;
}

/** SignUp words it "did not conform with"; every other operation "does not conform to". */
export function enforcePolicy(password: string, policy: PasswordPolicy, during: 'sign-up' | 'other'): void {
  const violation = policyViolation(password, policy);
  if (!violation) return;
  const prefix = during === 'sign-up' ? 'Password did not conform with policy' : 'Password does not conform to policy';
  throw new InvalidPasswordException(`${prefix}: ${violation}`);
}

const CLASSES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '-_.+=@%'];

/** A random password that satisfies the policy: one character of each class, the rest from all of them. */
export function generatePassword(policy: PasswordPolicy, length = 20): string {
  const size = Math.max(length, policy.minimumLength, CLASSES.length);
  const chars = CLASSES.map((c) => randomString(1, c));
  chars.push(...randomString(size - chars.length, CLASSES.join('')));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

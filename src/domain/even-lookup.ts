import type { PoolRecord, Store, UserRecord } from '../store/store.js';
import type { DomainDeps } from './deps.js';
import { decodeNobody, readNobody } from './user-existence.js';
import { findUser } from './users.js';

/**
 * A typed name looked up with as many reads of the user table as a name that matches nobody costs
 * (PreventUserExistenceErrors): a name found by its first lookup (say an email) is topped up with
 * reads that find nobody, so the number of store round trips does not tell whether it exists. How
 * many a miss costs is learnt by running the same lookup against a user table that finds nobody. A miss
 * then pays for decoding a row as a hit does.
 */
export async function findUserEvenly(deps: DomainDeps, pool: PoolRecord, typed: string): Promise<UserRecord | undefined> {
  const actual = { reads: 0 };
  const miss = { reads: 0 };
  const user = await findUser(deps, pool, typed, countingReads(deps.store, actual, true));
  await findUser(deps, pool, typed, countingReads(deps.store, miss, false));
  for (let i = actual.reads; i < miss.reads; i++) await readNobody(deps, pool);
  // A read that finds the user also decodes the row (attributes, sealed salt and verifier): so does a miss.
  if (!user) decodeNobody(deps);
  return user;
}

/** The store with its user reads counted, and answered by the real store or by nobody. */
function countingReads(store: Store, counter: { reads: number }, real: boolean): Store {
  const users = new Proxy(store.users, {
    get(target, prop, receiver) {
      const member: unknown = Reflect.get(target, prop, receiver);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        counter.reads++;
        return real ? (member as (...a: unknown[]) => unknown).apply(target, args) : Promise.resolve(undefined);
      };
    },
  });
  return new Proxy(store, { get: (target, prop, receiver) => (prop === 'users' ? users : Reflect.get(target, prop, receiver)) });
}

/**
 * The storage interfaces: one narrow interface per concept, every call scoped by pool (client ids and
 * token digests are globally unique, so they are looked up alone). Records use epoch milliseconds.
 * Implementations: store/sql (Kysely) over store/sqlite and store/postgres.
 * One contract suite (test/store/contract) runs against every backend.
 */
import type { AliasAttribute, ClientSettings, PoolSettings } from '../domain/settings.js';

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

export interface PoolRecord {
  id: string;
  name: string;
  settings: PoolSettings;
  createdAt: number;
  updatedAt: number;
}

export interface ClientRecord {
  id: string;
  poolId: string;
  name: string;
  secret: string | null;
  settings: ClientSettings;
  createdAt: number;
  updatedAt: number;
}

export interface UserRecord {
  poolId: string;
  /** The internal, immutable username (a UUID in email-as-username pools). */
  username: string;
  /** The lookup form of the username (lower-cased when the pool is case-insensitive). */
  usernameKey: string;
  sub: string;
  status: UserStatus;
  enabled: boolean;
  attributes: Record<string, string>;
  /** Unique sign-in email (email-as-username pools, or a verified email alias); null otherwise. */
  emailKey: string | null;
  /** Unique sign-in phone number (phone-as-username pools, or a verified phone alias); null otherwise. */
  phoneKey: string | null;
  /** Unique sign-in preferred_username (pools with that alias); null otherwise. */
  preferredUsernameKey: string | null;
  /**
   * New values of email / phone_number waiting for verification (AttributesRequireVerificationBeforeUpdate);
   * never part of the attributes, so never on the wire or in tokens.
   */
  pendingAttributes: Record<string, string>;
  /** SetUserSettings' legacy SMS MFA options, kept as given (Cognate sends no SMS). */
  mfaOptions: MfaOption[];
  salt: string;
  verifier: string;
  createdAt: number;
  updatedAt: number;
  /** Tokens issued before this moment are no longer accepted (GlobalSignOut). */
  signedOutAt: number | null;
}

export interface MfaOption {
  deliveryMedium: 'SMS';
  attributeName: 'phone_number';
}

export type UserPatch = Partial<
  Pick<
    UserRecord,
    | 'status' | 'enabled' | 'attributes' | 'emailKey' | 'phoneKey' | 'preferredUsernameKey' | 'pendingAttributes' | 'mfaOptions' | 'salt'
    | 'verifier' | 'signedOutAt'
  >
>;

export interface UserFilter {
  field: 'username' | 'sub' | 'status' | 'enabled' | 'attribute';
  /** For field 'attribute': the attribute name. */
  attribute?: string;
  op: 'eq' | 'prefix';
  value: string;
}

export interface UserQuery {
  filter?: UserFilter;
  /** Keyset pagination: usernames strictly after this one. */
  after?: string;
  limit: number;
}

export type CodePurpose = 'sign-up' | 'forgot-password' | 'verify-email';

export interface CodeRecord {
  poolId: string;
  username: string;
  purpose: CodePurpose;
  digest: string;
  expiresAt: number;
  attempts: number;
}

export interface SigningKeyRecord {
  poolId: string;
  kid: string;
  use: 'id' | 'access';
  privateKeyPem: string;
  publicJwk: Record<string, string>;
  createdAt: number;
}

export interface RefreshTokenRecord {
  digest: string;
  poolId: string;
  clientId: string;
  username: string;
  originJti: string;
  authTime: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface OutboxRecord {
  id: string;
  poolId: string | null;
  recipient: string;
  /** The sealed message (it may hold a code: never stored in the clear). */
  sealed: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  sentAt: number | null;
  lastError: string | null;
}

/** A user pool group; names are unique in the pool and compared exactly (case-sensitively). */
export interface GroupRecord {
  poolId: string;
  name: string;
  description: string | null;
  roleArn: string | null;
  /** Lower takes precedence; null ranks after every number. */
  precedence: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Raised by a store when a unique constraint refuses a write (whatever the backend's code). */
export class UniqueViolation extends Error {}

export interface PoolStore {
  create(pool: PoolRecord): Promise<void>;
  get(id: string): Promise<PoolRecord | undefined>;
  list(after: string | undefined, limit: number): Promise<PoolRecord[]>;
  update(pool: PoolRecord): Promise<void>;
  /** Deletes the pool and everything in it. */
  delete(id: string): Promise<boolean>;
}

export interface ClientStore {
  create(client: ClientRecord): Promise<void>;
  get(clientId: string): Promise<ClientRecord | undefined>;
  list(poolId: string, after: string | undefined, limit: number): Promise<ClientRecord[]>;
  update(client: ClientRecord): Promise<void>;
  delete(poolId: string, clientId: string): Promise<boolean>;
}

export interface UserStore {
  /** Throws UniqueViolation when the username key, sub or an alias key is taken in the pool. */
  create(user: UserRecord): Promise<void>;
  /**
   * Bulk import: creates the users, leaving out each one whose username key, sub or an alias key is
   * taken (in the pool, or by an earlier user of the list); never throws UniqueViolation. Returns the
   * subs of the users it created.
   */
  createMany(users: UserRecord[]): Promise<Set<string>>;
  getByKey(poolId: string, usernameKey: string): Promise<UserRecord | undefined>;
  getByEmailKey(poolId: string, emailKey: string): Promise<UserRecord | undefined>;
  /** The user holding this sign-in key of an alias attribute (emailKey, phoneKey or preferredUsernameKey). */
  getByAlias(poolId: string, attribute: AliasAttribute, key: string): Promise<UserRecord | undefined>;
  /** Throws UniqueViolation (changing nothing) when a new alias key is taken in the pool. */
  update(poolId: string, username: string, patch: UserPatch, now: number): Promise<void>;
  delete(poolId: string, username: string): Promise<boolean>;
  list(poolId: string, query: UserQuery): Promise<UserRecord[]>;
  count(poolId: string): Promise<number>;
}

/** Groups and their memberships (by internal username); lists are keyset-paginated by name. */
export interface GroupStore {
  /** Throws UniqueViolation when the pool has a group of that name. */
  create(group: GroupRecord): Promise<void>;
  get(poolId: string, name: string): Promise<GroupRecord | undefined>;
  list(poolId: string, after: string | undefined, limit: number): Promise<GroupRecord[]>;
  count(poolId: string): Promise<number>;
  /** Replaces description, role, precedence and updatedAt. */
  update(group: GroupRecord): Promise<void>;
  /** Deletes the group and its memberships. */
  delete(poolId: string, name: string): Promise<boolean>;
  /** False when the user was a member already. */
  addMember(poolId: string, groupName: string, username: string, now: number): Promise<boolean>;
  /** False when the user was not a member. */
  removeMember(poolId: string, groupName: string, username: string): Promise<boolean>;
  /** The user's groups by name (token issue reads them all in one query). */
  listForUser(poolId: string, username: string, after: string | undefined, limit: number): Promise<GroupRecord[]>;
  countForUser(poolId: string, username: string): Promise<number>;
  /** The group's members by username. */
  listMembers(poolId: string, groupName: string, after: string | undefined, limit: number): Promise<UserRecord[]>;
}

export interface CodeStore {
  put(code: CodeRecord): Promise<void>;
  /** Counts one attempt atomically and returns the record as it is after counting. */
  countAttempt(poolId: string, username: string, purpose: CodePurpose): Promise<CodeRecord | undefined>;
  delete(poolId: string, username: string, purpose: CodePurpose): Promise<void>;
}

export interface KeyStore {
  add(key: SigningKeyRecord): Promise<void>;
  list(poolId: string): Promise<SigningKeyRecord[]>;
  /** Replaces the stored private key of one key (sealing keys stored in the clear); false when there is no such key. */
  replacePrivateKey(poolId: string, kid: string, privateKeyPem: string): Promise<boolean>;
}

export interface TokenStore {
  addRefresh(token: RefreshTokenRecord): Promise<void>;
  getRefresh(digest: string): Promise<RefreshTokenRecord | undefined>;
  /** Revokes one refresh-token family (RevokeToken). */
  revokeFamily(originJti: string, now: number): Promise<void>;
  /** Revokes every refresh token of a user (GlobalSignOut). */
  revokeUser(poolId: string, username: string, now: number): Promise<void>;
  /**
   * True when no unrevoked refresh token of the family remains: revoked, deleted with its client or
   * user, or purged (purgeExpired keeps expired tokens for a day, longer than any access token lives).
   */
  isFamilyRevoked(originJti: string): Promise<boolean>;
  /** Records a single-use id (an SRP secret block); false when it was used before. */
  useOnce(id: string, expiresAt: number): Promise<boolean>;
  /** Deletes used ids and codes past their expiry, and refresh tokens a day past theirs. */
  purgeExpired(now: number): Promise<number>;
}

export interface OutboxStore {
  enqueue(message: OutboxRecord): Promise<void>;
  due(now: number, limit: number): Promise<OutboxRecord[]>;
  /**
   * Takes up to `limit` due messages for delivery: atomically moves their next attempt to `leaseUntil`, so
   * that another sender (worker or instance) does not take them too; one that is not marked sent or failed
   * before the lease ends is due again (delivery is at least once).
   */
  claim(now: number, leaseUntil: number, limit: number): Promise<OutboxRecord[]>;
  markSent(id: string, now: number): Promise<void>;
  markFailed(id: string, error: string, nextAttemptAt: number): Promise<void>;
  recent(limit: number): Promise<OutboxRecord[]>;
}

/**
 * A shared counter (rate limits, sign-in lockouts, per-user code limits), keyed by an opaque string that
 * says what it counts. Each instance reads and writes the same rows, so every limit holds across instances.
 */
export interface LimitRecord {
  key: string;
  count: number;
  /** hit(): the start of the window counted; countFailure(): when the last counted failure happened. */
  startedAt: number;
  /** countFailure(): no attempt is counted before this moment (0: not locked). */
  lockedUntil: number;
  /** countFailure(): a random id of the last counted failure (null for hit() counters). */
  lastAttempt: string | null;
  /** After this the record counts for nothing (a new window, a fresh start); purgeExpired deletes it. */
  expiresAt: number;
}

export interface FailurePolicy {
  /** How long the nth counted failure locks the key: `lockMs[n - 1]` (0: not at all); past the end, the last element. */
  lockMs: readonly number[];
  /** The count starts again after this long without a counted failure, from the end of its lock if it locked. */
  resetAfterMs: number;
}

export interface LimitStore {
  /**
   * Fixed-window counter: adds `by` to the key's count in the window that starts at `windowStart`
   * (the count of any other window is dropped first) and returns the count after, in one atomic
   * statement, so that concurrent hits from any instance all land.
   */
  hit(key: string, windowStart: number, by: number, expiresAt: number): Promise<number>;
  /**
   * Counts one failure atomically (one statement): while the key is locked (lockedUntil > now) it is
   * ignored; a count that expired starts again at 1; otherwise the count goes up, with the lock the
   * policy gives the new count. The failure was counted iff the returned lastAttempt is `attempt`.
   */
  countFailure(key: string, attempt: string, now: number, policy: FailurePolicy): Promise<LimitRecord>;
  get(key: string): Promise<LimitRecord | undefined>;
  /** Deletes the key's record; with `ifLastAttempt`, only while its last counted failure is that one. */
  delete(key: string, ifLastAttempt?: string | null): Promise<void>;
  /** Deletes records expired before `now`; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  /** Stores the value unless the key exists; returns the value that is stored in the end. */
  putIfAbsent(key: string, value: string): Promise<string>;
  /** Stores the value, replacing any earlier one (a checkpoint that moves on, e.g. a bulk import's). */
  put(key: string, value: string): Promise<void>;
}

export interface Store {
  readonly backend: 'sqlite' | 'postgres';
  readonly pools: PoolStore;
  readonly clients: ClientStore;
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly codes: CodeStore;
  readonly keys: KeyStore;
  readonly tokens: TokenStore;
  readonly outbox: OutboxStore;
  readonly kv: KeyValueStore;
  readonly limits: LimitStore;
  /** Runs fn in one transaction: all its writes land together or not at all. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import {
  UniqueViolation,
  type ClientRecord, type ClientStore, type CodePurpose, type CodeRecord, type CodeStore, type GroupRecord, type GroupStore, type KeyStore, type KeyValueStore,
  type FailurePolicy, type LimitRecord, type LimitStore,
  type OutboxRecord, type OutboxStore, type PoolRecord, type PoolStore, type RefreshTokenRecord, type SigningKeyRecord,
  type MfaOption, type Store, type TokenStore, type UserPatch, type UserQuery, type UserRecord, type UserStatus, type UserStore,
} from '../store.js';
import type { AliasAttribute } from '../../domain/settings.js';
import type { Database } from './tables.js';

/** What differs between SQL backends; everything else in this file is shared. */
export interface SqlDialect {
  backend: 'sqlite' | 'postgres';
  isUniqueViolation(err: unknown): boolean;
  /** The text value of one key of the JSON `attributes` column. */
  attribute(name: string): Expression<string | null>;
  /** A transaction that failed only for losing a race (serialization failure, deadlock) and may run again. */
  isRetryable?(err: unknown): boolean;
  /**
   * Set on the dialect of a transaction's store where one failed statement aborts the whole transaction
   * (PostgreSQL): runs a write that may be refused in a savepoint, so that the transaction goes on after a
   * caught UniqueViolation as it does on SQLite.
   */
  savepoint?<T>(fn: () => Promise<T>): Promise<T>;
}

const num = (v: number | string | bigint | null): number => Number(v);
const numOrNull = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));

type Db = Kysely<Database> | Transaction<Database>;

/** Expired refresh tokens are kept this long, so their family still answers for access tokens (≤ 1 day). */
const REFRESH_RETENTION_MS = 86_400_000 + 60_000;

async function guardUnique<T>(dialect: SqlDialect, fn: () => Promise<T>): Promise<T> {
  try {
    return dialect.savepoint ? await dialect.savepoint(fn) : await fn();
  } catch (err) {
    if (dialect.isUniqueViolation(err)) throw new UniqueViolation('unique constraint', { cause: err });
    throw err;
  }
}

function toPool(r: Database['pools']): PoolRecord {
  return { id: r.id, name: r.name, settings: JSON.parse(r.settings), createdAt: num(r.created_at), updatedAt: num(r.updated_at) };
}

function toClient(r: Database['clients']): ClientRecord {
  return {
    id: r.id, poolId: r.pool_id, name: r.name, secret: r.secret, settings: JSON.parse(r.settings),
    createdAt: num(r.created_at), updatedAt: num(r.updated_at),
  };
}

/** The column holding each alias attribute's sign-in key. */
const ALIAS_COLUMN = { email: 'email_key', phone_number: 'phone_key', preferred_username: 'preferred_username_key' } as const satisfies Record<
  AliasAttribute,
  keyof Database['users']
>;

const pendingColumn = (pending: Record<string, string>) => (Object.keys(pending).length > 0 ? JSON.stringify(pending) : null);
const mfaColumn = (options: MfaOption[]) => (options.length > 0 ? JSON.stringify(options) : null);

function userRow(u: UserRecord): Database['users'] {
  return {
    pool_id: u.poolId, username: u.username, username_key: u.usernameKey, sub: u.sub, status: u.status, enabled: u.enabled ? 1 : 0,
    attributes: JSON.stringify(u.attributes), email_key: u.emailKey, phone_key: u.phoneKey, preferred_username_key: u.preferredUsernameKey,
    pending_attributes: pendingColumn(u.pendingAttributes), mfa_options: mfaColumn(u.mfaOptions), salt: u.salt, verifier: u.verifier, created_at: u.createdAt,
    updated_at: u.updatedAt, signed_out_at: u.signedOutAt,
  };
}

/** Users per INSERT in createMany: 500 × 17 parameters, under SQLite's 32,766 and PostgreSQL's 65,535. */
const CREATE_MANY_CHUNK = 500;

function toUser(r: Database['users']): UserRecord {
  return {
    poolId: r.pool_id, username: r.username, usernameKey: r.username_key, sub: r.sub, status: r.status as UserStatus,
    enabled: Number(r.enabled) === 1, attributes: JSON.parse(r.attributes), emailKey: r.email_key, phoneKey: r.phone_key,
    preferredUsernameKey: r.preferred_username_key, pendingAttributes: r.pending_attributes ? JSON.parse(r.pending_attributes) : {},
    mfaOptions: r.mfa_options ? JSON.parse(r.mfa_options) : [], salt: r.salt,
    verifier: r.verifier, createdAt: num(r.created_at), updatedAt: num(r.updated_at), signedOutAt: numOrNull(r.signed_out_at),
  };
}

function toRefresh(r: Database['refresh_tokens']): RefreshTokenRecord {
  return {
    digest: r.digest, poolId: r.pool_id, clientId: r.client_id, username: r.username, originJti: r.origin_jti,
    authTime: num(r.auth_time), expiresAt: num(r.expires_at), revokedAt: numOrNull(r.revoked_at),
  };
}

function toGroup(r: Database['groups']): GroupRecord {
  return {
    poolId: r.pool_id, name: r.name, description: r.description, roleArn: r.role_arn, precedence: numOrNull(r.precedence),
    createdAt: num(r.created_at), updatedAt: num(r.updated_at),
  };
}

function toOutbox(r: Database['outbox']): OutboxRecord {
  return {
    id: r.id, poolId: r.pool_id, recipient: r.recipient, sealed: r.sealed, createdAt: num(r.created_at), attempts: r.attempts,
    nextAttemptAt: num(r.next_attempt_at), sentAt: numOrNull(r.sent_at), lastError: r.last_error,
  };
}

class SqlPools implements PoolStore {
  constructor(private readonly db: Db, private readonly dialect: SqlDialect) {}
  async create(p: PoolRecord) {
    await guardUnique(this.dialect, () =>
      this.db.insertInto('pools').values({ id: p.id, name: p.name, settings: JSON.stringify(p.settings), created_at: p.createdAt, updated_at: p.updatedAt }).execute(),
    );
  }
  async get(id: string) {
    const r = await this.db.selectFrom('pools').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toPool(r);
  }
  async list(after: string | undefined, limit: number) {
    let q = this.db.selectFrom('pools').selectAll().orderBy('id').limit(limit);
    if (after !== undefined) q = q.where('id', '>', after);
    return (await q.execute()).map(toPool);
  }
  async update(p: PoolRecord) {
    await this.db.updateTable('pools').set({ name: p.name, settings: JSON.stringify(p.settings), updated_at: p.updatedAt }).where('id', '=', p.id).execute();
  }
  async delete(id: string) {
    for (const table of ['users', 'codes', 'signing_keys', 'refresh_tokens', 'clients', 'user_groups', 'groups'] as const) {
      await this.db.deleteFrom(table).where('pool_id', '=', id).execute();
    }
    const r = await this.db.deleteFrom('pools').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

class SqlClients implements ClientStore {
  constructor(private readonly db: Db, private readonly dialect: SqlDialect) {}
  async create(c: ClientRecord) {
    await guardUnique(this.dialect, () =>
      this.db
        .insertInto('clients')
        .values({ id: c.id, pool_id: c.poolId, name: c.name, secret: c.secret, settings: JSON.stringify(c.settings), created_at: c.createdAt, updated_at: c.updatedAt })
        .execute(),
    );
  }
  async get(clientId: string) {
    const r = await this.db.selectFrom('clients').selectAll().where('id', '=', clientId).executeTakeFirst();
    return r && toClient(r);
  }
  async list(poolId: string, after: string | undefined, limit: number) {
    let q = this.db.selectFrom('clients').selectAll().where('pool_id', '=', poolId).orderBy('id').limit(limit);
    if (after !== undefined) q = q.where('id', '>', after);
    return (await q.execute()).map(toClient);
  }
  async update(c: ClientRecord) {
    await this.db.updateTable('clients').set({ name: c.name, settings: JSON.stringify(c.settings), updated_at: c.updatedAt }).where('id', '=', c.id).execute();
  }
  async delete(poolId: string, clientId: string) {
    await this.db.deleteFrom('refresh_tokens').where('pool_id', '=', poolId).where('client_id', '=', clientId).execute();
    const r = await this.db.deleteFrom('clients').where('pool_id', '=', poolId).where('id', '=', clientId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

class SqlUsers implements UserStore {
  constructor(private readonly db: Db, private readonly dialect: SqlDialect) {}
  async create(u: UserRecord) {
    await guardUnique(this.dialect, () => this.db.insertInto('users').values(userRow(u)).execute());
  }
  async createMany(users: UserRecord[]) {
    const created = new Set<string>();
    // One statement per chunk, within both backends' limits on bound parameters (17 a row).
    for (let i = 0; i < users.length; i += CREATE_MANY_CHUNK) {
      const rows = await this.db
        .insertInto('users')
        .values(users.slice(i, i + CREATE_MANY_CHUNK).map(userRow))
        .onConflict((oc) => oc.doNothing())
        .returning('sub')
        .execute();
      for (const r of rows) created.add(r.sub);
    }
    return created;
  }
  async getByKey(poolId: string, usernameKey: string) {
    const r = await this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('username_key', '=', usernameKey).executeTakeFirst();
    return r && toUser(r);
  }
  async getByEmailKey(poolId: string, emailKey: string) {
    return this.getByAlias(poolId, 'email', emailKey);
  }
  async getByAlias(poolId: string, attribute: AliasAttribute, key: string) {
    const r = await this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where(ALIAS_COLUMN[attribute], '=', key).executeTakeFirst();
    return r && toUser(r);
  }
  async update(poolId: string, username: string, patch: UserPatch, now: number) {
    const set: Partial<Database['users']> = { updated_at: now };
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
    if (patch.attributes !== undefined) set.attributes = JSON.stringify(patch.attributes);
    if (patch.emailKey !== undefined) set.email_key = patch.emailKey;
    if (patch.phoneKey !== undefined) set.phone_key = patch.phoneKey;
    if (patch.preferredUsernameKey !== undefined) set.preferred_username_key = patch.preferredUsernameKey;
    if (patch.pendingAttributes !== undefined) set.pending_attributes = pendingColumn(patch.pendingAttributes);
    if (patch.mfaOptions !== undefined) set.mfa_options = mfaColumn(patch.mfaOptions);
    if (patch.salt !== undefined) set.salt = patch.salt;
    if (patch.verifier !== undefined) set.verifier = patch.verifier;
    if (patch.signedOutAt !== undefined) set.signed_out_at = patch.signedOutAt;
    await guardUnique(this.dialect, () => this.db.updateTable('users').set(set).where('pool_id', '=', poolId).where('username', '=', username).execute());
  }
  async delete(poolId: string, username: string) {
    await this.db.deleteFrom('codes').where('pool_id', '=', poolId).where('username', '=', username).execute();
    await this.db.deleteFrom('refresh_tokens').where('pool_id', '=', poolId).where('username', '=', username).execute();
    await this.db.deleteFrom('user_groups').where('pool_id', '=', poolId).where('username', '=', username).execute();
    const r = await this.db.deleteFrom('users').where('pool_id', '=', poolId).where('username', '=', username).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  async list(poolId: string, query: UserQuery) {
    let q = this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId).orderBy('username').limit(query.limit);
    if (query.after !== undefined) q = q.where('username', '>', query.after);
    const f = query.filter;
    if (f) {
      const column: Expression<string | null> =
        f.field === 'attribute' ? this.dialect.attribute(f.attribute!) : f.field === 'enabled' ? sql<string>`(case when enabled = 1 then 'Enabled' else 'Disabled' end)` : sql.ref<string>(f.field);
      // PostgreSQL text cannot hold NUL: its attribute() reads NUL as U+FFFD, and so must the value.
      const value = this.dialect.backend === 'postgres' ? f.value.replaceAll('\0', '\ufffd') : f.value;
      const cond: Expression<SqlBool> =
        f.op === 'eq' ? sql<SqlBool>`${column} = ${value}` : sql<SqlBool>`substr(${column}, 1, ${[...value].length}) = ${value}`;
      q = q.where(cond);
    }
    return (await q.execute()).map(toUser);
  }
  async count(poolId: string) {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('pool_id', '=', poolId).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}

class SqlGroups implements GroupStore {
  constructor(private readonly db: Db, private readonly dialect: SqlDialect) {}
  async create(g: GroupRecord) {
    await guardUnique(this.dialect, () =>
      this.db
        .insertInto('groups')
        .values({
          pool_id: g.poolId, name: g.name, description: g.description, role_arn: g.roleArn, precedence: g.precedence, created_at: g.createdAt,
          updated_at: g.updatedAt,
        })
        .execute(),
    );
  }
  async get(poolId: string, name: string) {
    const r = await this.db.selectFrom('groups').selectAll().where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
    return r && toGroup(r);
  }
  async list(poolId: string, after: string | undefined, limit: number) {
    let q = this.db.selectFrom('groups').selectAll().where('pool_id', '=', poolId).orderBy('name').limit(limit);
    if (after !== undefined) q = q.where('name', '>', after);
    return (await q.execute()).map(toGroup);
  }
  async count(poolId: string) {
    const r = await this.db.selectFrom('groups').select((eb) => eb.fn.countAll().as('n')).where('pool_id', '=', poolId).executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async update(g: GroupRecord) {
    await this.db
      .updateTable('groups')
      .set({ description: g.description, role_arn: g.roleArn, precedence: g.precedence, updated_at: g.updatedAt })
      .where('pool_id', '=', g.poolId)
      .where('name', '=', g.name)
      .execute();
  }
  async delete(poolId: string, name: string) {
    await this.db.deleteFrom('user_groups').where('pool_id', '=', poolId).where('group_name', '=', name).execute();
    const r = await this.db.deleteFrom('groups').where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  async addMember(poolId: string, groupName: string, username: string, now: number) {
    const r = await this.db
      .insertInto('user_groups')
      .values({ pool_id: poolId, group_name: groupName, username, created_at: now })
      .onConflict((oc) => oc.columns(['pool_id', 'group_name', 'username']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  async removeMember(poolId: string, groupName: string, username: string) {
    const r = await this.db.deleteFrom('user_groups').where('pool_id', '=', poolId).where('group_name', '=', groupName).where('username', '=', username).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  async listForUser(poolId: string, username: string, after: string | undefined, limit: number) {
    let q = this.db
      .selectFrom('user_groups')
      .innerJoin('groups', (j) => j.onRef('groups.pool_id', '=', 'user_groups.pool_id').onRef('groups.name', '=', 'user_groups.group_name'))
      .selectAll('groups')
      .where('user_groups.pool_id', '=', poolId)
      .where('user_groups.username', '=', username)
      .orderBy('groups.name')
      .limit(limit);
    if (after !== undefined) q = q.where('groups.name', '>', after);
    return (await q.execute()).map(toGroup);
  }
  async countForUser(poolId: string, username: string) {
    const r = await this.db
      .selectFrom('user_groups')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('pool_id', '=', poolId)
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async listMembers(poolId: string, groupName: string, after: string | undefined, limit: number) {
    let q = this.db
      .selectFrom('user_groups')
      .innerJoin('users', (j) => j.onRef('users.pool_id', '=', 'user_groups.pool_id').onRef('users.username', '=', 'user_groups.username'))
      .selectAll('users')
      .where('user_groups.pool_id', '=', poolId)
      .where('user_groups.group_name', '=', groupName)
      .orderBy('users.username')
      .limit(limit);
    if (after !== undefined) q = q.where('users.username', '>', after);
    return (await q.execute()).map(toUser);
  }
}

class SqlCodes implements CodeStore {
  constructor(private readonly db: Db) {}
  async put(c: CodeRecord) {
    await this.db
      .insertInto('codes')
      .values({ pool_id: c.poolId, username: c.username, purpose: c.purpose, digest: c.digest, expires_at: c.expiresAt, attempts: c.attempts })
      .onConflict((oc) => oc.columns(['pool_id', 'username', 'purpose']).doUpdateSet({ digest: c.digest, expires_at: c.expiresAt, attempts: c.attempts }))
      .execute();
  }
  async countAttempt(poolId: string, username: string, purpose: CodePurpose) {
    const r = await this.db
      .updateTable('codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('pool_id', '=', poolId)
      .where('username', '=', username)
      .where('purpose', '=', purpose)
      .returningAll()
      .executeTakeFirst();
    return r && { poolId: r.pool_id, username: r.username, purpose: r.purpose as CodePurpose, digest: r.digest, expiresAt: num(r.expires_at), attempts: r.attempts };
  }
  async delete(poolId: string, username: string, purpose: CodePurpose) {
    await this.db.deleteFrom('codes').where('pool_id', '=', poolId).where('username', '=', username).where('purpose', '=', purpose).execute();
  }
}

class SqlKeys implements KeyStore {
  constructor(private readonly db: Db) {}
  async add(k: SigningKeyRecord) {
    await this.db
      .insertInto('signing_keys')
      .values({ kid: k.kid, pool_id: k.poolId, use: k.use, private_key: k.privateKeyPem, public_jwk: JSON.stringify(k.publicJwk), created_at: k.createdAt })
      .execute();
  }
  async list(poolId: string) {
    const rows = await this.db.selectFrom('signing_keys').selectAll().where('pool_id', '=', poolId).orderBy('created_at').execute();
    return rows.map((r) => ({
      poolId: r.pool_id, kid: r.kid, use: r.use as 'id' | 'access', privateKeyPem: r.private_key, publicJwk: JSON.parse(r.public_jwk), createdAt: num(r.created_at),
    }));
  }
  async replacePrivateKey(poolId: string, kid: string, privateKeyPem: string) {
    const r = await this.db.updateTable('signing_keys').set({ private_key: privateKeyPem }).where('pool_id', '=', poolId).where('kid', '=', kid).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}

class SqlTokens implements TokenStore {
  constructor(private readonly db: Db, private readonly dialect: SqlDialect) {}
  async addRefresh(t: RefreshTokenRecord) {
    await this.db
      .insertInto('refresh_tokens')
      .values({
        digest: t.digest, pool_id: t.poolId, client_id: t.clientId, username: t.username, origin_jti: t.originJti, auth_time: t.authTime,
        expires_at: t.expiresAt, revoked_at: t.revokedAt,
      })
      .execute();
  }
  async getRefresh(digest: string) {
    const r = await this.db.selectFrom('refresh_tokens').selectAll().where('digest', '=', digest).executeTakeFirst();
    return r && toRefresh(r);
  }
  async revokeFamily(originJti: string, now: number) {
    await this.db.updateTable('refresh_tokens').set({ revoked_at: now }).where('origin_jti', '=', originJti).where('revoked_at', 'is', null).execute();
  }
  async revokeUser(poolId: string, username: string, now: number) {
    await this.db.updateTable('refresh_tokens').set({ revoked_at: now }).where('pool_id', '=', poolId).where('username', '=', username).where('revoked_at', 'is', null).execute();
  }
  async isFamilyRevoked(originJti: string) {
    const live = await this.db.selectFrom('refresh_tokens').select('digest').where('origin_jti', '=', originJti).where('revoked_at', 'is', null).executeTakeFirst();
    return live === undefined;
  }
  async useOnce(id: string, expiresAt: number) {
    const r = await this.db.insertInto('used_once').values({ id, expires_at: expiresAt }).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows) === 1;
  }
  async purgeExpired(now: number) {
    const a = await this.db.deleteFrom('used_once').where('expires_at', '<', now).executeTakeFirst();
    const b = await this.db.deleteFrom('refresh_tokens').where('expires_at', '<', now - REFRESH_RETENTION_MS).executeTakeFirst();
    const c = await this.db.deleteFrom('codes').where('expires_at', '<', now).executeTakeFirst();
    return Number(a.numDeletedRows) + Number(b.numDeletedRows) + Number(c.numDeletedRows);
  }
}

class SqlOutbox implements OutboxStore {
  constructor(private readonly db: Db) {}
  async enqueue(m: OutboxRecord) {
    await this.db
      .insertInto('outbox')
      .values({
        id: m.id, pool_id: m.poolId, recipient: m.recipient, sealed: m.sealed, created_at: m.createdAt, attempts: m.attempts,
        next_attempt_at: m.nextAttemptAt, sent_at: m.sentAt, last_error: m.lastError,
      })
      .execute();
  }
  async due(now: number, limit: number) {
    const rows = await this.db.selectFrom('outbox').selectAll().where('sent_at', 'is', null).where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(limit).execute();
    return rows.map(toOutbox);
  }
  async claim(now: number, leaseUntil: number, limit: number) {
    // One UPDATE: SQLite runs writes one at a time; on PostgreSQL a concurrent claimer waits for the row
    // lock, re-checks next_attempt_at and skips what was just claimed.
    const rows = await this.db
      .updateTable('outbox')
      .set({ next_attempt_at: leaseUntil })
      .where('id', 'in', (eb) =>
        eb.selectFrom('outbox').select('id').where('sent_at', 'is', null).where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(limit),
      )
      .where('sent_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .returningAll()
      .execute();
    return rows.map(toOutbox).sort((a, b) => a.createdAt - b.createdAt);
  }
  async markSent(id: string, now: number) {
    await this.db.updateTable('outbox').set({ sent_at: now, last_error: null }).where('id', '=', id).execute();
  }
  async markFailed(id: string, error: string, nextAttemptAt: number) {
    await this.db
      .updateTable('outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 1000), next_attempt_at: nextAttemptAt }))
      .where('id', '=', id)
      .execute();
  }
  async recent(limit: number) {
    return (await this.db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').limit(limit).execute()).map(toOutbox);
  }
}

class SqlKeyValue implements KeyValueStore {
  constructor(private readonly db: Db) {}
  async get(key: string) {
    return (await this.db.selectFrom('kv').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }
  async putIfAbsent(key: string, value: string) {
    await this.db.insertInto('kv').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
    return (await this.get(key))!;
  }
  async put(key: string, value: string) {
    await this.db.insertInto('kv').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
  }
}

function toLimit(r: Database['limits']): LimitRecord {
  return {
    key: r.key, count: Number(r.count), startedAt: num(r.started_at), lockedUntil: num(r.locked_until), lastAttempt: r.last_attempt,
    expiresAt: num(r.expires_at),
  };
}

/** A bigint parameter: PostgreSQL types a bare parameter in arithmetic or CASE by its neighbours, not by the column. */
const big = (n: number) => sql<number>`cast(${n} as bigint)`;

/**
 * Each limit is one row, changed by one INSERT … ON CONFLICT DO UPDATE: SQLite runs it alone, PostgreSQL
 * locks the row and evaluates the SET against its latest version, so concurrent requests of any instance
 * are all counted, each exactly once. Every CASE below reads the row as it was before the statement.
 */
class SqlLimits implements LimitStore {
  constructor(private readonly db: Db) {}
  async hit(key: string, windowStart: number, by: number, expiresAt: number) {
    const current = sql<SqlBool>`${sql.ref('limits.started_at')} = ${big(windowStart)}`;
    const r = await this.db
      .insertInto('limits')
      .values({ key, count: by, started_at: windowStart, locked_until: 0, last_attempt: null, expires_at: expiresAt })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql<number>`case when ${current} then ${sql.ref('limits.count')} + cast(${by} as integer) else cast(${by} as integer) end`,
          started_at: big(windowStart),
          expires_at: big(expiresAt),
        }),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    return Number(r.count);
  }
  async countFailure(key: string, attempt: string, now: number, policy: FailurePolicy) {
    if (policy.lockMs.length === 0) throw new Error('a failure policy needs at least one lock duration');
    const lockAt = (ms: number) => (ms > 0 ? big(now + ms) : big(0));
    const expiryAt = (ms: number) => big(now + ms + policy.resetAfterMs);
    const t = big(now);
    const stale = sql<SqlBool>`${sql.ref('limits.expires_at')} <= ${t}`;
    const locked = sql<SqlBool>`${sql.ref('limits.locked_until')} > ${t}`;
    /** The policy's value for the count after this failure, as a CASE over the stored count. */
    const byNextCount = (value: (ms: number) => Expression<number>) =>
      sql<number>`case ${sql.ref('limits.count')} + 1 ${sql.join(policy.lockMs.map((ms, i) => sql`when ${sql.lit(i + 1)} then ${value(ms)}`), sql` `)} else ${value(policy.lockMs.at(-1)!)} end`;
    /** stale: a fresh start at 1; locked: the failure is ignored; otherwise it is counted. */
    const pick = <T>(fresh: unknown, kept: unknown, counted: unknown) => sql<T>`case when ${stale} then ${fresh} when ${locked} then ${kept} else ${counted} end`;
    const r = await this.db
      .insertInto('limits')
      .values({
        key, count: 1, started_at: now, locked_until: policy.lockMs[0]! > 0 ? now + policy.lockMs[0]! : 0, last_attempt: attempt,
        expires_at: now + policy.lockMs[0]! + policy.resetAfterMs,
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: pick<number>(sql.lit(1), sql.ref('limits.count'), sql`${sql.ref('limits.count')} + 1`),
          started_at: pick<number>(t, sql.ref('limits.started_at'), t),
          locked_until: pick<number>(lockAt(policy.lockMs[0]!), sql.ref('limits.locked_until'), byNextCount(lockAt)),
          last_attempt: pick<string>(attempt, sql.ref('limits.last_attempt'), attempt),
          expires_at: pick<number>(expiryAt(policy.lockMs[0]!), sql.ref('limits.expires_at'), byNextCount(expiryAt)),
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toLimit(r);
  }
  async get(key: string) {
    const r = await this.db.selectFrom('limits').selectAll().where('key', '=', key).executeTakeFirst();
    return r && toLimit(r);
  }
  async delete(key: string, ifLastAttempt?: string | null) {
    let q = this.db.deleteFrom('limits').where('key', '=', key);
    if (ifLastAttempt !== undefined) q = ifLastAttempt === null ? q.where('last_attempt', 'is', null) : q.where('last_attempt', '=', ifLastAttempt);
    await q.execute();
  }
  async purgeExpired(now: number) {
    const r = await this.db.deleteFrom('limits').where('expires_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

const TRANSACTION_ATTEMPTS = 3;

/** One statement in a savepoint: on failure the transaction is back where it was before it, and usable. */
async function withSavepoint<T>(trx: Transaction<Database>, fn: () => Promise<T>): Promise<T> {
  await sql`savepoint cognate_write`.execute(trx);
  try {
    const result = await fn();
    await sql`release savepoint cognate_write`.execute(trx);
    return result;
  } catch (err) {
    await sql`rollback to savepoint cognate_write`.execute(trx);
    await sql`release savepoint cognate_write`.execute(trx);
    throw err;
  }
}

/** A Store over any Kysely database with the shared schema. */
export class SqlStore implements Store {
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

  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {
    this.backend = dialect.backend;
    this.pools = new SqlPools(db, dialect);
    this.clients = new SqlClients(db, dialect);
    this.users = new SqlUsers(db, dialect);
    this.groups = new SqlGroups(db, dialect);
    this.codes = new SqlCodes(db);
    this.keys = new SqlKeys(db);
    this.tokens = new SqlTokens(db, dialect);
    this.outbox = new SqlOutbox(db);
    this.kv = new SqlKeyValue(db);
    this.limits = new SqlLimits(db);
  }

  /**
   * SQLite runs one transaction at a time; PostgreSQL runs them side by side at READ COMMITTED, where a
   * deadlock can still end one: it runs again (its writes were rolled back; fn must touch only the store).
   */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    for (let attempt = 1; ; attempt++) {
      try {
        return await (this.db as Kysely<Database>).transaction().execute((trx) => fn(new SqlStore(trx, this.inTransaction(trx))));
      } catch (err) {
        if (attempt >= TRANSACTION_ATTEMPTS || !this.dialect.isRetryable?.(err)) throw err;
      }
    }
  }

  private inTransaction(trx: Transaction<Database>): SqlDialect {
    if (this.dialect.backend !== 'postgres') return this.dialect;
    return { ...this.dialect, savepoint: (fn) => withSavepoint(trx, fn) };
  }

  async close() {
    await this.onClose();
  }
}

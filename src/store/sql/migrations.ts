import { sql, type Kysely, type Migration } from 'kysely';
import { moveMailSettings } from './pool-messages-migration.js';

/**
 * Forward-only migrations, shared by every backend (Kysely's schema builder writes each dialect's SQL).
 * Never edit a migration that has shipped: add the next one.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('pools')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('clients')
        .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('secret', 'varchar(128)')
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('clients_pool').on('clients').columns(['pool_id', 'id']).execute();
      await db.schema
        .createTable('users')
        .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('username', 'varchar(255)', (c) => c.notNull())
        .addColumn('username_key', 'varchar(255)', (c) => c.notNull())
        .addColumn('sub', 'varchar(64)', (c) => c.notNull())
        .addColumn('status', 'varchar(32)', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('email_key', 'varchar(2048)')
        .addColumn('salt', 'varchar(128)', (c) => c.notNull())
        .addColumn('verifier', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('signed_out_at', 'bigint')
        .addPrimaryKeyConstraint('users_pk', ['pool_id', 'username'])
        .execute();
      await db.schema.createIndex('users_username_key').unique().on('users').columns(['pool_id', 'username_key']).execute();
      await db.schema.createIndex('users_sub').unique().on('users').columns(['pool_id', 'sub']).execute();
      await db.schema.createIndex('users_email_key').unique().on('users').columns(['pool_id', 'email_key']).execute();
      await db.schema
        .createTable('codes')
        .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('username', 'varchar(255)', (c) => c.notNull())
        .addColumn('purpose', 'varchar(32)', (c) => c.notNull())
        .addColumn('digest', 'varchar(128)', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('codes_pk', ['pool_id', 'username', 'purpose'])
        .execute();
      await db.schema
        .createTable('signing_keys')
        .addColumn('kid', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('use', 'varchar(16)', (c) => c.notNull())
        .addColumn('private_key', 'text', (c) => c.notNull())
        .addColumn('public_jwk', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('signing_keys_pool').on('signing_keys').column('pool_id').execute();
      await db.schema
        .createTable('refresh_tokens')
        .addColumn('digest', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('client_id', 'varchar(128)', (c) => c.notNull())
        .addColumn('username', 'varchar(255)', (c) => c.notNull())
        .addColumn('origin_jti', 'varchar(64)', (c) => c.notNull())
        .addColumn('auth_time', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').columns(['pool_id', 'username']).execute();
      await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('origin_jti').execute();
      await db.schema
        .createTable('used_once')
        .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('pool_id', 'varchar(64)')
        .addColumn('recipient', 'varchar(2048)', (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['sent_at', 'next_attempt_at']).execute();
      await db.schema
        .createTable('kv')
        .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await sql`select 1`.execute(db);
    },
  },
  '0002_alias_keys': {
    async up(db: Kysely<unknown>) {
      // One column per statement: SQLite's ALTER TABLE adds one at a time.
      await db.schema.alterTable('users').addColumn('phone_key', 'varchar(255)').execute();
      await db.schema.alterTable('users').addColumn('preferred_username_key', 'varchar(2048)').execute();
      await db.schema.alterTable('users').addColumn('pending_attributes', 'text').execute();
      await db.schema.alterTable('users').addColumn('mfa_options', 'text').execute();
      await db.schema.createIndex('users_phone_key').unique().on('users').columns(['pool_id', 'phone_key']).execute();
      await db.schema.createIndex('users_preferred_username_key').unique().on('users').columns(['pool_id', 'preferred_username_key']).execute();
    },
  },
  '0003_groups': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('groups')
        .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('role_arn', 'varchar(2048)')
        .addColumn('precedence', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('groups_pk', ['pool_id', 'name'])
        .execute();
      await db.schema
        .createTable('user_groups')
        .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('group_name', 'varchar(255)', (c) => c.notNull())
        .addColumn('username', 'varchar(255)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('user_groups_pk', ['pool_id', 'group_name', 'username'])
        .execute();
      await db.schema.createIndex('user_groups_user').on('user_groups').columns(['pool_id', 'username']).execute();
    },
  },
  '0004_pool_mail_settings': {
    up: moveMailSettings,
  },
  '0005_limits': {
    // Shared counters: rate-limit windows, sign-in lockouts, per-user code limits (store.ts LimitStore).
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('limits')
        .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('locked_until', 'bigint', (c) => c.notNull())
        .addColumn('last_attempt', 'varchar(64)')
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('limits_expires').on('limits').column('expires_at').execute();
    },
  },
};

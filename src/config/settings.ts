import { z } from 'zod';

/**
 * Every setting of Cognate, in one place: its env var, type, default and the sentence that documents
 * it. `docs/configuration.md` is generated from this table (npm run docs) and a test keeps it fresh.
 */
export interface SettingSpec<T extends z.ZodType = z.ZodType> {
  env: string;
  schema: T;
  doc: string;
  secret?: boolean;
}

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z.string().min(1).optional();

export const SETTINGS = {
  port: { env: 'COGNATE_PORT', schema: port.default(9229), doc: 'TCP port to listen on (0 picks a free port).' },
  host: { env: 'COGNATE_HOST', schema: z.string().min(1).default('127.0.0.1'), doc: 'Interface to listen on; 0.0.0.0 for all.' },
  publicUrl: {
    env: 'COGNATE_PUBLIC_URL',
    schema: z.url().optional(),
    doc: 'Base URL clients reach Cognate at (used for issuers and printed URLs). Default: http://<host>:<port>.',
  },
  region: {
    env: 'COGNATE_REGION',
    schema: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/).default('us-east-1'),
    doc: 'Region that new user pool ids start with (us-east-1_…), and that admin (SigV4) requests must be signed for.',
  },
  databaseUrl: {
    env: 'COGNATE_DATABASE_URL',
    schema: z.string().regex(/^(sqlite:|postgres(ql)?:\/\/)/).default('sqlite:./data/cognate.db'),
    doc: 'Where data lives: sqlite:<path> (sqlite::memory: for a throwaway store) or postgres://user:pass@host:5432/db (postgresql:// too; the database must exist, Cognate creates its tables). `cognate migrate` applies migrations without serving.',
    secret: true,
  },
  sqliteSynchronous: {
    env: 'COGNATE_SQLITE_SYNCHRONOUS',
    schema: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
    doc: "SQLite: when a commit reaches the disk. NORMAL: an acknowledged write survives a crash or kill -9 of Cognate; a power cut or OS crash may lose the last commits, never the database's consistency. FULL: every commit is synced to disk before it is acknowledged, so it survives a power cut too, at one fsync per write. Ignored for PostgreSQL (see synchronous_commit). See docs/durability.md.",
  },
  databasePoolSize: {
    env: 'COGNATE_DATABASE_POOL_SIZE',
    schema: z.coerce.number().int().min(1).max(1000).default(10),
    doc: 'PostgreSQL: connections each server process keeps open at most (with COGNATE_WORKERS, per worker). Ignored for SQLite.',
  },
  masterKey: {
    env: 'COGNATE_MASTER_KEY',
    // 32 bytes: 64 hex digits, or base64 (standard or URL-safe, padding optional).
    schema: z.string().trim().regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, 'must be 32 bytes in base64 (44 characters) or hex (64 characters), e.g. from `openssl rand -base64 32`').optional(),
    doc: 'Master key (32 bytes, base64 or hex, e.g. `openssl rand -base64 32`) that wraps the server secret in the database, under which SRP verifiers, signing keys and the admin secret are sealed and codes and refresh tokens digested. Unset: the key in COGNATE_MASTER_KEY_FILE. Every instance needs the same key; `cognate keys rotate` replaces it. See docs/security.md.',
    secret: true,
  },
  masterKeyFile: {
    env: 'COGNATE_MASTER_KEY_FILE',
    schema: optionalText,
    doc: 'File holding the master key when COGNATE_MASTER_KEY is unset; created with mode 0600 on first start, refused when others may read it. Default for SQLite: master.key next to the database file (./data/master.key); PostgreSQL has no default (set this or COGNATE_MASTER_KEY). Back it up apart from the database: one without the other is useless.',
  },
  smtpUrl: {
    env: 'COGNATE_SMTP_URL',
    schema: optionalText,
    doc: 'SMTP server for outgoing mail, e.g. smtp://user:pass@mail.example.com:587. Unset: mail goes to the dev outbox (GET /_dev/outbox).',
    secret: true,
  },
  mailFrom: { env: 'COGNATE_MAIL_FROM', schema: z.string().min(3).default('Cognate <no-reply@cognate.localhost>'), doc: 'From address of the mail Cognate sends, for pools whose EmailConfiguration names none (From, or an SES identity address in SourceArn).' },
  adminAccessKeyId: {
    env: 'COGNATE_ADMIN_ACCESS_KEY_ID',
    schema: z.string().regex(/^[A-Z0-9]{16,128}$/).optional(),
    doc: 'Access key id that SigV4-signed admin calls must use. Unset (with the secret unset too): generated on first start, stored, printed once.',
  },
  adminSecretAccessKey: {
    env: 'COGNATE_ADMIN_SECRET_ACCESS_KEY',
    schema: z.string().min(16).max(128).optional(),
    doc: 'Secret access key for the admin access key id.',
    secret: true,
  },
  issuerStyle: {
    env: 'COGNATE_ISSUER_STYLE',
    schema: z.enum(['url', 'aws']).default('url'),
    doc: "Token issuer: 'url' = <COGNATE_PUBLIC_URL>/<poolId>; 'aws' = https://cognito-idp.<region>.amazonaws.com/<poolId> (for CognitoJwtVerifier).",
  },
  demo: {
    env: 'COGNATE_DEMO',
    schema: z.enum(['on', 'off']).default('on'),
    doc: "'on': create the WildRydes demo pool and web client on first start.",
  },
  siteUserPoolId: {
    env: 'COGNATE_SITE_USER_POOL_ID',
    schema: z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$/).optional(),
    doc: 'User pool the demo site at / uses (its /js/config.js). Default: the WildRydes demo pool.',
  },
  siteClientId: {
    env: 'COGNATE_SITE_CLIENT_ID',
    schema: z.string().regex(/^[\w+]+$/).optional(),
    doc: 'App client the demo site uses, with COGNATE_SITE_USER_POOL_ID. Default: the demo web client.',
  },
  consoleAdminUsername: {
    env: 'COGNATE_CONSOLE_ADMIN_USERNAME',
    schema: z.string().min(1).max(128).default('admin'),
    doc: 'Username of the first console administrator, created on first start in the internal console pool.',
  },
  consoleAdminPassword: {
    env: 'COGNATE_CONSOLE_ADMIN_PASSWORD',
    schema: z.string().min(8).max(256).optional(),
    doc: "Password of the first console administrator. Unset: generated on first start and printed once.",
    secret: true,
  },
  logLevel: {
    env: 'COGNATE_LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'Log level of the structured (JSON) log.',
  },
  workers: {
    env: 'COGNATE_WORKERS',
    schema: z.coerce.number().int().min(1).max(64).default(1),
    doc: 'Server processes sharing the port (node:cluster), to use several cores; `cognate serve --workers N` sets it too. All of them share the database.',
  },
  signingKeyRotationDays: {
    env: 'COGNATE_SIGNING_KEY_ROTATION_DAYS',
    schema: z.coerce.number().min(0).max(3650).default(90),
    doc: "Days after which a pool's token signing keys are replaced (0: never). The new key is in the JWKS 5 minutes before it signs; the old one stays there a day longer than any token it signed lives.",
  },
  trustProxy: {
    env: 'COGNATE_TRUST_PROXY',
    schema: z
      .string()
      .trim()
      .regex(/^(true|on|false|off|\d+|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/, "must be 'true', a number of hops, or a comma-separated list of proxy addresses or CIDR ranges")
      .transform((v): boolean | number | string[] =>
        v === 'true' || v === 'on' ? true : v === 'false' || v === 'off' ? false : /^\d+$/.test(v) ? Number(v) : v.split(',').map((a) => a.trim()),
      )
      .optional(),
    doc: "Behind a reverse proxy (nginx): take the client's address from X-Forwarded-For, for the per-address rate limit and the log. 'true' trusts every hop, a number that many hops from Cognate, a comma-separated list only these proxies (addresses or CIDR ranges, e.g. 127.0.0.1,10.0.0.0/8; also loopback, linklocal, uniquelocal). Unset: the connection's own address is the client's.",
  },
  rateLimit: {
    env: 'COGNATE_RATE_LIMIT',
    schema: z.enum(['on', 'off']).default('on'),
    doc: "'off' lifts the per-address limit (COGNATE_RATE_LIMIT_PER_IP), e.g. for a load test run from one machine. The per-pool limit, the sign-in lockout and the per-user code limits stay on. See docs/security.md.",
  },
  rateLimitPerIp: {
    env: 'COGNATE_RATE_LIMIT_PER_IP',
    schema: z.coerce.number().int().min(0).max(1_000_000).default(100),
    doc: 'Requests per second that one client address may send to the public (unsigned) operations, counted in the database across instances (0: no limit); more are answered TooManyRequestsException "Rate exceeded". Behind a proxy set COGNATE_TRUST_PROXY, or every client shares the proxy\'s address.',
  },
  rateLimitPerPool: {
    env: 'COGNATE_RATE_LIMIT_PER_POOL',
    schema: z.coerce.number().int().min(0).max(1_000_000).default(2000),
    doc: 'Requests per second to the public operations of one user pool (by the app client or the access token they name), counted in the database across instances (0: no limit); more are answered TooManyRequestsException "Rate exceeded".',
  },
  bodyLimit: {
    env: 'COGNATE_BODY_LIMIT',
    schema: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(256 * 1024),
    doc: 'Largest API request body accepted, in bytes.',
  },
  requestTimeout: {
    env: 'COGNATE_REQUEST_TIMEOUT',
    schema: z.coerce.number().int().min(1).max(3600).default(30),
    doc: 'Seconds a client has to send a whole request, headers and body; a slower one is answered 408 and its connection closed, so that trickled bodies cannot hold connections open.',
  },
} satisfies Record<string, SettingSpec>;

export type Settings = typeof SETTINGS;
export type Config = Readonly<{ [K in keyof Settings]: z.output<Settings[K]['schema']> }>;

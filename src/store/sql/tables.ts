/** Row types of the SQL schema (see migrations.ts); bigint columns may come back as strings. */
type Big = number | string | bigint;

export interface Database {
  pools: { id: string; name: string; settings: string; created_at: Big; updated_at: Big };
  clients: { id: string; pool_id: string; name: string; secret: string | null; settings: string; created_at: Big; updated_at: Big };
  users: {
    pool_id: string;
    username: string;
    username_key: string;
    sub: string;
    status: string;
    enabled: number;
    attributes: string;
    email_key: string | null;
    phone_key: string | null;
    preferred_username_key: string | null;
    /** JSON object; null when nothing is pending. */
    pending_attributes: string | null;
    /** JSON array; null when empty. */
    mfa_options: string | null;
    salt: string;
    verifier: string;
    created_at: Big;
    updated_at: Big;
    signed_out_at: Big | null;
  };
  groups: {
    pool_id: string;
    name: string;
    description: string | null;
    role_arn: string | null;
    precedence: number | null;
    created_at: Big;
    updated_at: Big;
  };
  user_groups: { pool_id: string; group_name: string; username: string; created_at: Big };
  codes: { pool_id: string; username: string; purpose: string; digest: string; expires_at: Big; attempts: number };
  signing_keys: { kid: string; pool_id: string; use: string; private_key: string; public_jwk: string; created_at: Big };
  refresh_tokens: {
    digest: string;
    pool_id: string;
    client_id: string;
    username: string;
    origin_jti: string;
    auth_time: Big;
    expires_at: Big;
    revoked_at: Big | null;
  };
  used_once: { id: string; expires_at: Big };
  outbox: {
    id: string;
    pool_id: string | null;
    recipient: string;
    sealed: string;
    created_at: Big;
    attempts: number;
    next_attempt_at: Big;
    sent_at: Big | null;
    last_error: string | null;
  };
  kv: { key: string; value: string };
  limits: { key: string; count: number; started_at: Big; locked_until: Big; last_attempt: string | null; expires_at: Big };
}

import { setTimeout as sleep } from 'node:timers/promises';
import {
  adminDeleteUser, Api, answered, confirm, explain, globalSignOut, NotSent, revokeToken, signIn, signUp, verify, type Action, type Ledger,
} from './acknowledged-writes.js';
import { CognateProcess, type Endpoint } from './cognate-process.js';
import { SmtpSink } from './smtp-sink.js';
import { ADMIN, TEST_MASTER_KEY } from './test-server.js';

/**
 * The crash-durability run, the same on every backend: a real server under a mixed load from several
 * loops, killed with -9 at random moments and restarted on the same database; every acknowledged
 * write is checked after each restart (the newest ones) and at the end (all), with the backend's
 * integrity check and the consistency queries below.
 */
export const MAIL_DOMAIN = 'crash.example.com';

/** What a backend offers the run: plain SQL over the database, and its own integrity check. */
export interface DatabaseProbe {
  /** Runs one query without parameters and returns its rows. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** The backend's integrity check: what is wrong ([] when sound). */
  integrity(): Promise<string[]>;
}

/** Rows that must not exist, whatever was cut off: each query counts them (`n`). */
export const CONSISTENCY_QUERIES: Record<string, string> = {
  'a code without its user': 'select count(*) as n from codes c where not exists (select 1 from users u where u.pool_id = c.pool_id and u.username = c.username)',
  'a refresh token without its user':
    'select count(*) as n from refresh_tokens t where not exists (select 1 from users u where u.pool_id = t.pool_id and u.username = t.username)',
  'a group membership without its user':
    'select count(*) as n from user_groups g where not exists (select 1 from users u where u.pool_id = g.pool_id and u.username = g.username)',
  'an unconfirmed user without its sign-up code':
    `select count(*) as n from users u where u.email_key like '%@${MAIL_DOMAIN}' and u.status = 'UNCONFIRMED' ` +
    "and not exists (select 1 from codes c where c.pool_id = u.pool_id and c.username = u.username and c.purpose = 'sign-up')",
  'a confirmed user with its sign-up code left':
    `select count(*) as n from users u where u.email_key like '%@${MAIL_DOMAIN}' and u.status = 'CONFIRMED' ` +
    "and exists (select 1 from codes c where c.pool_id = u.pool_id and c.username = u.username and c.purpose = 'sign-up')",
  'a user without its sign-up mail in the outbox':
    `select count(*) as n from users u where u.email_key like '%@${MAIL_DOMAIN}' and not exists (select 1 from outbox o where o.recipient = u.email_key)`,
};

export interface CrashRunOptions {
  databaseUrl: string;
  database: DatabaseProbe;
  seed: number;
  kills?: number;
  loops?: number;
  log?: (line: string) => void;
}

export interface CrashReport {
  kills: number;
  /** Requests answered 2xx, by operation. */
  acknowledged: Record<string, number>;
  /** Requests cut off by a kill (not counted either way), by operation. */
  unanswered: Record<string, number>;
  users: number;
  /** Sign-up mails the SMTP sink got more than once (delivery is at least once across kills). */
  duplicateMails: number;
  /** Sign-up mails still queued at the end (claimed by a killed process: they go out when its lease ends). */
  pendingMails: number;
  problems: string[];
}

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hands the current server's clients to the loops; closed while the server is down, so they wait. */
class Gate {
  parked = 0;
  private api: Api | undefined;
  private waiting: ((api: Api) => void)[] = [];

  open(api: Api): void {
    this.api = api;
    for (const resolve of this.waiting.splice(0)) resolve(api);
  }

  close(): void {
    this.api = undefined;
  }

  get isOpen(): boolean {
    return this.api !== undefined;
  }

  async pass(): Promise<Api> {
    if (this.api) return this.api;
    this.parked += 1;
    try {
      return await new Promise<Api>((resolve) => this.waiting.push(resolve));
    } finally {
      this.parked -= 1;
    }
  }
}

const CUT_OFF = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ECONNABORTED']);

/** A request the kill cut off: no answer came. Anything else that fails in the test is a problem, never "maybe". */
function cutOff(err: unknown): boolean {
  if (answered(err) || !(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return (typeof code === 'string' && CUT_OFF.has(code)) || /socket hang up/.test(err.message);
}

export async function runCrashDurability(options: CrashRunOptions): Promise<CrashReport> {
  const { database, seed, kills = 20, loops = 4, log = () => {} } = options;
  const report: CrashReport = { kills: 0, acknowledged: {}, unanswered: {}, users: 0, duplicateMails: 0, pendingMails: 0, problems: [] };
  const problems = report.problems;
  const ledgers: Ledger[] = [];
  const recent: Ledger[] = [];
  const sink = new SmtpSink();
  await sink.listen();
  const env = {
    COGNATE_DATABASE_URL: options.databaseUrl, COGNATE_SMTP_URL: sink.url, COGNATE_DEMO: 'on',
    // Every restart listens on another port: a URL issuer would change with it and refuse the tokens of the last one.
    COGNATE_ISSUER_STYLE: 'aws',
    COGNATE_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId, COGNATE_ADMIN_SECRET_ACCESS_KEY: ADMIN.secretAccessKey,
    // PostgreSQL has no default master key file; every process needs the same key.
    COGNATE_MASTER_KEY: TEST_MASTER_KEY,
    // All the load comes from one address: the per-address rate limit would answer part of it "Rate exceeded".
    COGNATE_RATE_LIMIT: 'off',
  };
  const processes: CognateProcess[] = [];
  const warm = () => {
    const p = new CognateProcess(env);
    processes.push(p);
    return p;
  };
  const gate = new Gate();
  const apis: Api[] = [];
  let stopping = false;
  let acks = 0;

  const loop = async (index: number): Promise<void> => {
    const rng = seededRandom(seed * 31 + index + 1);
    let ledger: Ledger | undefined;
    let steps = 0;
    let made = 0;
    while (!stopping) {
      const api = await gate.pass();
      if (stopping) return;
      let action: Action;
      if (!ledger) {
        action = signUp(api, `l${index}-${made++}-${seed}@${MAIL_DOMAIN}`, (l) => {
          ledgers.push(l);
          ledger = l;
          steps = 0;
        });
      } else if (ledger.status === 'UNCONFIRMED') {
        action = confirm(api, ledger, sink, rng() < 0.7, () => gate.isOpen);
      } else {
        const r = rng();
        steps += 1;
        if (steps > 6 && r < 0.5) {
          ledger = undefined; // retired: stays CONFIRMED with its tokens
          continue;
        }
        if (steps > 6 || r < 0.08) action = adminDeleteUser(api, ledger);
        else if (r < 0.22 && ledger.live.length > 0) action = revokeToken(api, ledger, ledger.live[Math.floor(rng() * ledger.live.length)]!);
        else if (r < 0.36 && ledger.session) action = globalSignOut(api, ledger, ledger.session);
        else action = signIn(api, ledger, rng() < 0.5);
      }
      try {
        await action.run();
        report.acknowledged[action.op] = (report.acknowledged[action.op] ?? 0) + 1;
        acks += 1;
        if (ledger) recent.push(ledger);
        if (ledger?.status === 'DELETED') ledger = undefined;
      } catch (err) {
        if (err instanceof NotSent) continue;
        if (cutOff(err)) {
          report.unanswered[action.op] = (report.unanswered[action.op] ?? 0) + 1;
          if (!action.unanswered()) ledger = undefined;
        } else {
          problems.push(`${action.op}${ledger ? ` for ${ledger.email}` : ''} failed: ${explain(err)}`);
          if (ledger) ledger.tainted = true;
          ledger = undefined;
        }
      }
    }
  };

  const verifyAll = async (api: Api, which: Ledger[]): Promise<void> => {
    const queue = [...which];
    await Promise.all(
      Array.from({ length: loops }, async () => {
        for (let l = queue.shift(); l; l = queue.shift()) {
          problems.push(...(await verify(api, l).catch((err: unknown) => [`${l.email}: verification failed: ${explain(err)}`])));
        }
      }),
    );
  };

  const checkDatabase = async (when: string): Promise<void> => {
    for (const [what, query] of Object.entries(CONSISTENCY_QUERIES)) {
      const n = Number((await database.query(query))[0]?.n);
      if (n !== 0) problems.push(`${when}: ${n} × ${what}`);
    }
    for (const wrong of await database.integrity()) problems.push(`${when}: integrity: ${wrong}`);
  };

  /** Lines the server logged at level error or worse. */
  const serverErrors = (p: CognateProcess) =>
    p.output(Infinity).split('\n').filter((line) => {
      try {
        return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50;
      } catch {
        return false;
      }
    });

  const random = seededRandom(seed);
  const t0 = Date.now();
  const at = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  let current = warm();
  // Two spares warm at a time (both cores); the load pauses while the next one is not warm yet, so
  // the warming gets the CPU, and runs for a random while before each kill.
  const spares = Array.from({ length: Math.min(2, kills) }, warm);
  let created = spares.length;
  let first: Endpoint;
  try {
    first = await current.start(120_000);
    log(`first start at ${at()}`);
    let api = new Api(first);
    apis.push(api);
    const running = Array.from({ length: loops }, (_, i) => loop(i));

    for (let k = 1; k <= kills; k++) {
      const next = spares.shift()!;
      const w0 = Date.now();
      await next.warmed;
      const warmWait = Date.now() - w0;
      // The kill comes at a random moment once the load is going (a few answers in), however slow the machine.
      const before = acks;
      gate.open(api);
      await until(() => acks >= before + 4, 'the load to get answers', 60_000);
      await sleep(Math.floor(random() * 700));
      if (current.crashedOnItsOwn) throw new Error(`the server exited on its own:\n${current.output()}`);
      gate.close();
      const exit = await current.kill();
      if (exit.signal !== 'SIGKILL') problems.push(`kill ${k}: the server exited with ${exit.code ?? exit.signal}, not by SIGKILL`);
      report.kills = k;
      problems.push(...serverErrors(current).map((line) => `server ${k}: ${line}`));
      current = next;
      const s0 = Date.now();
      const endpoint = await current.start();
      const startMs = Date.now() - s0;
      // Every answer that came before the kill is in the ledgers once all loops wait for the next server.
      await until(() => gate.parked === loops, 'the loops to notice the kill');
      if (endpoint.poolId !== first.poolId || endpoint.clientId !== first.clientId) problems.push(`restart ${k}: another demo pool or client`);
      if (created < kills) {
        spares.push(warm());
        created += 1;
      }
      api = new Api(endpoint);
      apis.push(api);
      await checkDatabase(`after kill ${k}`);
      // The newest acknowledged writes are the ones a lost commit would take.
      await verifyAll(api, [...new Set(recent.splice(0).slice(-8))]);
      log(`kill ${k}/${kills} at ${at()}: waited ${warmWait} ms for the spare, restart ${startMs} ms; ${ledgers.length} users so far, problems ${problems.length}`);
    }

    gate.open(api);
    stopping = true;
    await Promise.all(running);
    log(`load stopped at ${at()}`);
    await verifyAll(api, ledgers);
    log(`all verified at ${at()}`);
    const exit = await current.stop();
    if (exit.code !== 0) problems.push(`the final clean stop exited with ${exit.code ?? exit.signal}:\n${current.output()}`);
    problems.push(...serverErrors(current).map((line) => `last server: ${line}`));
    await checkDatabase('after the final stop');
    await checkMail(database, sink, ledgers, report);
    report.users = ledgers.length;
    return report;
  } finally {
    stopping = true;
    for (const p of processes) if (!p.crashedOnItsOwn) await Promise.race([p.kill(), sleep(5000)]);
    for (const api of apis) api.destroy();
    await sink.close();
  }
}

/** Every acknowledged sign-up's mail was queued with it, and every mail marked sent reached the SMTP server. */
async function checkMail(database: DatabaseProbe, sink: SmtpSink, ledgers: Ledger[], report: CrashReport): Promise<void> {
  const rows = await database.query(`select recipient, sent_at from outbox where recipient like '%@${MAIL_DOMAIN}'`);
  const queued = new Set(rows.map((r) => String(r.recipient)));
  for (const l of ledgers) if (!queued.has(l.email)) report.problems.push(`${l.email}: acknowledged sign-up without its mail in the outbox`);
  for (const r of rows) {
    if (r.sent_at !== null && sink.count(String(r.recipient)) === 0) report.problems.push(`${String(r.recipient)}: mail marked sent, never received`);
  }
  report.duplicateMails = ledgers.filter((l) => sink.count(l.email) > 1).length;
  report.pendingMails = rows.filter((r) => r.sent_at === null).length;
}

async function until(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

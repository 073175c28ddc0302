import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { arch, cpus, release, tmpdir, totalmem, type } from 'node:os';
import { join, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import pg from 'pg';
import { killAll, track } from './children.js';
import { measureFloor, type FloorResult } from './floor.js';
import type { LoadArgs, LoadMessage, LoadResult } from './load-generator.js';
import { confirmUsers, deleteUsers, findImportCommand, importUsers, signUpUsers, writeFillerCsv, type ApiTarget, type BatchTiming } from './populate.js';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';
import { CLOCK_TICKS, loadAverage, machineBusyMs, processCpuMs } from './proc-cpu.js';
import {
  checkTargets, NOISY_CORES, writeReport, type BenchOptions, type BenchResult, type ConfigResult, type CpuBreakdown, type DbKind, type FillResult, type SizeRun,
  type Throughput, type WindowResult,
} from './report.js';
import { setupLabel, startSetup, waitUntilIdle, type Setup, type SetupContext, type SetupSpec } from './setup.js';
import { round, summarize } from './stats.js';

/**
 * `npm run bench`: full SRP sign-ins against the real server on SQLite and/or PostgreSQL, with one or
 * more workers or several instances behind nginx, at growing pool sizes: sign-ins/s at the maximum,
 * latency at a fraction of it (open loop), server CPU per sign-in against the crypto floor measured in
 * the same run, SignUps/s; writes bench/results/<name>.{md,json} and <name>-cost.svg. See `--help`.
 */
const HELP = `Usage: npm run bench -- [options]      (or: npx tsx bench/sign-in.ts [options])

What runs
  --db LIST               sqlite, postgres or both (repeatable or comma-separated; default sqlite).
                          postgres: a throwaway cluster (initdb under /tmp, default durability settings)
  --workers LIST          cognate serve --workers N for each N (default 1), e.g. 1,2
  --instances N           also N instances (1 worker each) behind nginx (/usr/sbin/nginx) on the same database
  --instance-sizes LIST   pool sizes at which the nginx setup runs (default: all)
  --instance-dbs LIST     databases on which it runs (default: all of --db)
  --sizes LIST            pool sizes, ascending (1000,100000,1000000; 1k, 100k and 1M work too)
  --users N / --small N   the old way to say --sizes SMALL,N (default 1000,10000; env BENCH_USERS for N)
  --signers N             users signed up with a password through the API, who do the sign-ins
                          (default 1000, at most the smallest size); the rest of a pool is filler
  --fill auto|import|api  how filler users get in: import = \`cognate users import\` (a CSV written here),
                          api = SignUp; auto (default) = import when this checkout has the command

Each configuration at each size
  --seconds S             measured window (default 20)
  --warmup S              warm-up before each window (default 3)
  --server-warmup S       added to each window's warm-up, while the JITs settle (default 10): the setup is
                          freshly started, the load generator a fresh process, and in the open loop the
                          queue of their cold start has to drain before the window opens
  --concurrency C         sign-ins in flight in the maximum-throughput window (default 4)
  --rate-fraction F       open-loop latency window at F × the measured maximum (default 0.5)
  --signup-probe N        SignUps timed per configuration at its largest pool (default 1000; 0: none)
  --signup-concurrency C  SignUp / AdminConfirmSignUp requests in flight (default 16)
  --floor-iterations N    repetitions of the crypto floor, in 5 batches whose median counts (default 1000)

Report
  --out DIR               where the report goes (default bench/results)
  --name NAME             file names NAME.md, NAME.json, NAME-cost.svg (default: today's date)
  --append                merge into an existing NAME.json: runs of the same database, setup and size
                          are replaced, the rest kept (to build one report from several invocations)
  --render                only rewrite NAME.md and NAME-cost.svg from NAME.json
  --note TEXT             a finding to print at the top of the report (repeatable; with --render, the
                          notes replace the report's notes)

A shared machine
  --quiet CORES           before each configuration, wait until other processes use at most CORES
                          (two 5 s samples in a row; default 0.5)
  --quiet-wait MINUTES    but no longer than this (default 10; 0: do not wait)
  --retries N             a window in which other processes used more than 0.25 cores is run again,
                          up to N times, after waiting for quiet; the quietest one counts (default 2)

  --server-root DIR       run the servers and the import from another checkout of Cognate (built, with
                          node_modules), e.g. a git worktree of an earlier commit to compare with; the
                          report names its commit. The load generator and the report stay this one's
  env BENCH_SERVER_NODE_ARGS  extra node flags for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
`;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

interface Options extends BenchOptions {
  out: string;
  name: string;
  append: boolean;
  render: boolean;
  notes: string[];
}

function localDate(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string', multiple: true },
      workers: { type: 'string', multiple: true },
      instances: { type: 'string' },
      'instance-sizes': { type: 'string', multiple: true },
      'instance-dbs': { type: 'string', multiple: true },
      sizes: { type: 'string', multiple: true },
      users: { type: 'string' },
      small: { type: 'string' },
      signers: { type: 'string' },
      fill: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      'server-warmup': { type: 'string' },
      concurrency: { type: 'string' },
      'rate-fraction': { type: 'string' },
      'signup-probe': { type: 'string' },
      'signup-concurrency': { type: 'string' },
      'floor-iterations': { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
      append: { type: 'boolean' },
      render: { type: 'boolean' },
      quiet: { type: 'string' },
      retries: { type: 'string' },
      note: { type: 'string', multiple: true },
      'quiet-wait': { type: 'string' },
      'server-root': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const fail = (msg: string): never => {
    throw new Error(`${msg}\n\n${HELP}`);
  };
  const num = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw.replace(/^(\d+(?:\.\d+)?)([kKmM])$/, (_m, d: string, unit: string) => String(Number(d) * (unit.toLowerCase() === 'k' ? 1e3 : 1e6))));
    if (!Number.isFinite(n) || n < min) fail(`--${name} must be a number ≥ ${min} (got ${raw})`);
    return n;
  };
  const list = (raw: string[] | undefined) => (raw ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const ints = (name: string, raw: string[] | undefined, min: number) => [...new Set(list(raw).map((v) => Math.floor(num(name, v, 0, min))))].sort((a, b) => a - b);
  const dbsOf = (name: string, raw: string[] | undefined, fallback: DbKind[]) => {
    const given = list(raw);
    for (const d of given) if (d !== 'sqlite' && d !== 'postgres') fail(`--${name}: sqlite or postgres (got ${d})`);
    return given.length ? ([...new Set(given)] as DbKind[]) : fallback;
  };

  let sizes = ints('sizes', values.sizes, 1);
  if (sizes.length === 0) {
    const users = Math.floor(num('users', values.users ?? process.env.BENCH_USERS, 10_000, 2));
    const small = Math.floor(num('small', values.small, 1000, 1));
    sizes = [small < users ? small : Math.max(1, Math.floor(users / 10)), users];
  }
  const dbs = dbsOf('db', values.db, ['sqlite']);
  const workers = ints('workers', values.workers, 1);
  const fill = values.fill ?? 'auto';
  if (fill !== 'auto' && fill !== 'import' && fill !== 'api') return fail(`--fill: auto, import or api (got ${fill})`);
  const signers = Math.floor(num('signers', values.signers, Math.min(1000, sizes[0]!), 1));
  if (signers > sizes[0]!) fail(`--signers (${signers}) must not exceed the smallest size (${sizes[0]})`);
  const out = values.out ?? join(repoRoot, 'bench', 'results');
  return {
    dbs,
    workers: workers.length ? workers : [1],
    instances: Math.floor(num('instances', values.instances, 1, 1)),
    instanceSizes: values['instance-sizes'] ? ints('instance-sizes', values['instance-sizes'], 1) : sizes,
    instanceDbs: dbsOf('instance-dbs', values['instance-dbs'], dbs),
    sizes,
    signers,
    fill,
    seconds: num('seconds', values.seconds, 20, 1),
    warmupSeconds: num('warmup', values.warmup, 3, 0),
    serverWarmupSeconds: num('server-warmup', values['server-warmup'], 10, 0),
    concurrency: Math.floor(num('concurrency', values.concurrency, 4, 1)),
    rateFraction: num('rate-fraction', values['rate-fraction'], 0.5, 0.01),
    signUpProbe: Math.floor(num('signup-probe', values['signup-probe'], 1000, 0)),
    signUpConcurrency: Math.floor(num('signup-concurrency', values['signup-concurrency'], 16, 1)),
    floorIterations: Math.floor(num('floor-iterations', values['floor-iterations'], 1000, 10)),
    out: resolvePath(out),
    name: values.name ?? localDate(new Date()),
    append: values.append ?? false,
    render: values.render ?? false,
    notes: values.note ?? [],
    quietCores: num('quiet', values.quiet, 0.5, 0),
    quietWaitMinutes: num('quiet-wait', values['quiet-wait'], 10, 0),
    retries: Math.floor(num('retries', values.retries, 2, 0)),
    serverRoot: values['server-root'] ? resolvePath(values['server-root']) : repoRoot,
  };
}

/** The command as the user typed it, near enough to paste again. */
function commandLine(argv: string[]): string {
  const env = process.env.BENCH_USERS ? `BENCH_USERS=${process.env.BENCH_USERS} ` : '';
  if (process.env.npm_lifecycle_event === 'bench') return `${env}npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  return `${env}npx tsx bench/sign-in.ts${argv.length ? ` ${argv.join(' ')}` : ''}`;
}

/** HEAD and the number of files under src/ that differ from it (undefined outside a git checkout). */
function sourceState(serverRoot: string): BenchResult['source'] {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: serverRoot, encoding: 'utf8' }).trim();
    const changed = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length;
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommittedSrcFiles: changed };
  } catch {
    return undefined;
  }
}

const started = performance.now();
const count = (n: number) => n.toLocaleString('en-US');

/** A progress line on stderr: time since the start, step, what is happening. */
function say(text: string): void {
  const s = Math.round((performance.now() - started) / 1000);
  const stamp = `${String(Math.floor(s / 3600))}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  process.stderr.write(`[${stamp}] ${text}\n`);
}

/** Things to stop if the run fails or is interrupted (last first), after every child process. */
const cleanups: (() => Promise<void>)[] = [];

async function cleanUp(): Promise<void> {
  await killAll();
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
}

/** Runs `body` with `stop` registered as a cleanup for as long as it runs. */
async function using<T>(stop: () => Promise<void>, body: () => Promise<T>): Promise<T> {
  cleanups.push(stop);
  try {
    return await body();
  } finally {
    cleanups.splice(cleanups.indexOf(stop), 1);
    await stop();
  }
}

interface Parts {
  setup: Setup;
  postgresCpuMs: () => number;
}

function snapshot(p: Parts, generatorPid: number): CpuBreakdown {
  return {
    server: p.setup.serverCpuMs(), postgres: p.postgresCpuMs(), nginx: p.setup.nginxCpuMs(), generator: processCpuMs(generatorPid), machine: machineBusyMs(),
  };
}

const minus = (a: CpuBreakdown, b: CpuBreakdown): CpuBreakdown => ({
  server: a.server - b.server, postgres: a.postgres - b.postgres, nginx: a.nginx - b.nginx, generator: a.generator - b.generator, machine: a.machine - b.machine,
});

/** One window: the load generator in its own process, CPU of every part read at the window's edges. */
function runLoad(p: Parts, args: LoadArgs): Promise<{ load: LoadResult; cpu: CpuBreakdown; loadAverage: [number, number, number] }> {
  return new Promise((resolve, reject) => {
    const child = track(
      fork(join(repoRoot, 'bench', 'load-generator.ts'), [JSON.stringify(args)], {
        cwd: repoRoot,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    let start: CpuBreakdown | undefined;
    let end: CpuBreakdown | undefined;
    let load: [number, number, number] = [0, 0, 0];
    let done = false;
    const timer = setTimeout(() => finish(new Error('the load generator did not finish in time')), (args.warmupSeconds + args.seconds + 120) * 1000);
    const finish = (err?: Error, result?: LoadResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill();
      if (err) reject(err);
      else if (!start || !end) reject(new Error('the load generator never opened or closed its window'));
      else resolve({ load: result!, cpu: minus(end, start), loadAverage: load });
    };
    child.on('message', (m: LoadMessage) => {
      if (m.type === 'window-start') {
        start = snapshot(p, child.pid!);
        load = loadAverage();
      } else if (m.type === 'window-end') end = snapshot(p, child.pid!);
      else if (m.type === 'result') finish(undefined, m);
    });
    // 'exit' can overtake the last IPC message: give the result a moment to arrive.
    child.once('exit', (code, signal) => setTimeout(() => finish(new Error(`the load generator exited (${signal ?? `code ${code}`}) without a result`)), 1000));
    child.once('error', (err) => finish(err));
    p.setup.crashed.catch((err: Error) => finish(err));
  });
}

async function measureWindow(p: Parts, opts: Options, signers: number, warmupSeconds: number, rate?: number): Promise<WindowResult> {
  const { load, cpu, loadAverage: la } = await runLoad(p, {
    url: p.setup.url, poolId: p.setup.poolId, clientId: p.setup.clientId, users: signers,
    concurrency: opts.concurrency, warmupSeconds, seconds: opts.seconds, rate,
  });
  const per = (v: number) => (load.signIns > 0 ? v / load.signIns : Number.NaN);
  const cores = (v: number) => v / load.windowMs;
  const other = Math.max(0, cpu.machine - cpu.server - cpu.postgres - cpu.nginx - cpu.generator);
  return {
    mode: rate ? 'open' : 'closed',
    attempt: 1,
    offeredPerSecond: rate ?? null,
    concurrency: rate ? null : opts.concurrency,
    maxInFlight: rate ? load.maxInFlight : null,
    warmupSeconds,
    windowSeconds: load.windowMs / 1000,
    signIns: load.signIns,
    signInsPerSecond: load.signIns / (load.windowMs / 1000),
    errors: load.errors,
    errorSamples: load.errorSamples,
    latencyMs: summarize(load.latencies),
    httpLatencyMs: summarize(load.httpLatencies),
    cpuMs: cpu,
    perSignInMs: { server: per(cpu.server), postgres: per(cpu.postgres), nginx: per(cpu.nginx), generator: per(cpu.generator), machine: per(cpu.machine) },
    cores: {
      server: cores(cpu.server), postgres: cores(cpu.postgres), nginx: cores(cpu.nginx), generator: cores(cpu.generator), machine: cores(cpu.machine), other: cores(other),
    },
    loadAverage: la,
    latencySamplesMs: load.latencies.map((v) => round(v, 2)),
  };
}

const describeWindow = (w: WindowResult) =>
  `${w.signInsPerSecond.toFixed(1)} sign-ins/s, p50 ${w.latencyMs.p50.toFixed(1)} ms, p99 ${w.latencyMs.p99.toFixed(1)} ms, ` +
  `server ${w.perSignInMs.server.toFixed(2)} ms CPU/sign-in` +
  (w.cores.postgres > 0.005 ? `, PostgreSQL ${w.perSignInMs.postgres.toFixed(2)} ms` : '') +
  (w.cores.nginx > 0.005 ? `, nginx ${w.perSignInMs.nginx.toFixed(2)} ms` : '') +
  `; cores: server ${w.cores.server.toFixed(2)}, generator ${w.cores.generator.toFixed(2)}, other ${w.cores.other.toFixed(2)}` +
  (w.errors ? `; ${w.errors} ERRORS: ${w.errorSamples[0]}` : '');

function throughput(batches: BatchTiming[], concurrency: number): Throughput {
  const users = batches.reduce((s, b) => s + b.count, 0);
  const wallMs = batches.reduce((s, b) => s + b.wallMs, 0);
  const cpu = batches.reduce((s, b) => s + b.serverCpuMs, 0);
  return { users, concurrency, wallMs, perSecond: users / (wallMs / 1000), serverCpuMsPerCall: cpu / users };
}

function floorRun(iterations: number): FloorResult {
  const f = measureFloor(iterations);
  say(`  crypto floor: ${f.msPerSignIn.toFixed(3)} ms CPU per sign-in (${f.iterations} iterations)`);
  return f;
}

async function estimatedUsers(target: ApiTarget): Promise<number | null> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new CognitoIdentityProviderClient({ endpoint: `${target.url}/`, region: 'us-east-1', credentials: target.admin, maxAttempts: 1 });
  try {
    const out = await client.send(new DescribeUserPoolCommand({ UserPoolId: target.poolId }));
    return out.UserPool?.EstimatedNumberOfUsers ?? null;
  } catch {
    return null;
  } finally {
    client.destroy();
  }
}

/** The configurations of one database, each with the sizes it runs at. */
function configsFor(db: DbKind, opts: Options): { spec: SetupSpec; sizes: number[] }[] {
  const list = opts.workers.map((workers) => ({ spec: { workers, instances: 1 }, sizes: opts.sizes }));
  if (opts.instances > 1 && opts.instanceDbs.includes(db)) {
    list.push({ spec: { workers: 1, instances: opts.instances }, sizes: opts.sizes.filter((s) => opts.instanceSizes.includes(s)) });
  }
  return list.filter((c) => c.sizes.length > 0);
}

const configKey = (db: DbKind, spec: SetupSpec) => `${db}/${spec.instances > 1 ? `${spec.instances}i` : ''}${spec.workers}w`;
/** SignUp probes get names far past any filler's. */
const PROBE_BASE = 900_000_000;

class Bench {
  readonly result: Omit<BenchResult, 'targets'>;
  private cluster: PostgresCluster | undefined;
  private importCommand: string[] | undefined;
  private probes = 0;
  private step = 0;
  private steps = 0;

  constructor(
    private readonly opts: Options,
    argv: string[],
    startedAt: Date,
  ) {
    const cpu = cpus();
    const { out: _out, name: _name, append: _append, render: _render, notes, ...options } = opts;
    this.result = {
      name: opts.name,
      date: localDate(startedAt),
      startedAt: startedAt.toISOString(),
      finishedAt: startedAt.toISOString(),
      commands: [commandLine(argv)],
      machine: {
        cpu: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length, node: process.version, os: `${type()} ${release()} ${arch()}`,
        clockTicksPerSecond: CLOCK_TICKS, memoryGb: totalmem() / 2 ** 30,
      },
      options,
      postgres: null,
      source: sourceState(opts.serverRoot),
      fills: [],
      floor: { runs: [] },
      configs: [],
      inProgress: true,
      notes,
    };
    if (opts.append) this.merge(join(opts.out, `${opts.name}.json`));
  }

  /** --append: keep what an earlier run of the same name measured. */
  private merge(file: string): void {
    if (!existsSync(file)) return;
    const old = JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
    const r = this.result;
    r.startedAt = old.startedAt < r.startedAt ? old.startedAt : r.startedAt;
    r.commands = [...old.commands, ...r.commands];
    // This run fills its databases again: their old fills go.
    r.fills = old.fills.filter((f) => !this.opts.dbs.includes(f.db));
    r.floor.runs = old.floor.runs;
    r.configs = old.configs;
    r.postgres = old.postgres;
    if (r.notes?.length === 0) r.notes = old.notes;
    say(`merging into ${relative(process.cwd(), file)}: ${old.configs.map((c) => `${c.key} (${c.runs.map((s) => count(s.poolSize)).join(', ')})`).join('; ')}`);
  }

  write(final = false): string[] {
    this.result.finishedAt = new Date().toISOString();
    this.result.inProgress = !final;
    return writeReport(this.opts.out, { ...this.result, targets: checkTargets(this.result) });
  }

  private next(text: string): void {
    this.step++;
    say(`step ${this.step}/${this.steps} — ${text}`);
  }

  async run(): Promise<void> {
    const o = this.opts;
    this.steps = o.dbs.reduce((n, db) => {
      const configs = configsFor(db, o);
      const sizes = o.sizes.filter((s) => configs.some((c) => c.sizes.includes(s)));
      return n + sizes.length + configs.reduce((m, c) => m + c.sizes.length, 0);
    }, 0);
    say(`plan: ${o.dbs.join(' and ')}; setups ${o.dbs.map((db) => configsFor(db, o).map((c) => `${setupLabel(c.spec)} at ${c.sizes.map(count).join('/')}`).join(', ')).join(' | ')}; ${this.steps} steps`);
    say(`load average ${loadAverage().join(' ')} on ${this.result.machine.cores} cores`);
    if (o.fill !== 'api') {
      this.importCommand = await findImportCommand(o.serverRoot);
      if (!this.importCommand && o.fill === 'import') throw new Error('--fill import: this checkout has no `cognate users import` command yet');
      say(this.importCommand ? `filler users: ${this.importCommand.join(' ')}` : 'filler users: SignUp through the API (no `cognate users import` in this checkout)');
    }
    this.result.floor.runs.push(floorRun(o.floorIterations));
    const stopCluster = async () => {
      await this.cluster?.stop();
      this.cluster = undefined;
    };
    await using(stopCluster, async () => {
      for (const db of o.dbs) await this.database(db);
    });
  }

  private async database(db: DbKind): Promise<void> {
    const o = this.opts;
    let databaseUrl: string;
    let dropDatabase: () => Promise<void>;
    let postgresCpuMs = () => 0;
    if (db === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'cognate-bench-'));
      databaseUrl = `sqlite:${join(dir, 'cognate.db')}`;
      dropDatabase = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      say('starting a throwaway PostgreSQL cluster (initdb, default durability settings)...');
      const cluster = (this.cluster ??= await startPostgresCluster());
      this.result.postgres = { version: cluster.version, settings: cluster.settings };
      say(`  PostgreSQL ${cluster.version}: ${Object.entries(cluster.settings).map(([k, v]) => `${k}=${v}`).join(', ')}`);
      databaseUrl = await cluster.createDatabase(`bench_${Date.now()}`);
      dropDatabase = async () => {};
      postgresCpuMs = () => cluster.cpuMs();
    }
    const ctx: SetupContext = {
      repoRoot: o.serverRoot, databaseUrl, nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(/\s+/).filter(Boolean),
      admin: { accessKeyId: 'AKIABENCHADMIN000001', secretAccessKey: randomBytes(24).toString('hex') },
      masterKey: randomBytes(32).toString('hex'),
    };
    await using(dropDatabase, async () => {
      const configs = configsFor(db, o);
      let filled = 0;
      for (const size of o.sizes) {
        const here = configs.filter((c) => c.sizes.includes(size));
        if (here.length === 0) continue;
        await this.fill(db, ctx, filled, size, postgresCpuMs);
        filled = size;
        for (const c of here) {
          await this.measure(db, c.spec, size, ctx, postgresCpuMs);
          this.write();
        }
      }
    });
  }

  /** Brings the pool from `from` to `to` users: the signers through the API first, then filler. */
  private async fill(db: DbKind, ctx: SetupContext, from: number, to: number, postgresCpuMs: () => number): Promise<void> {
    const o = this.opts;
    this.next(`${db}: fill the pool from ${count(from)} to ${count(to)} users`);
    let setup: Setup | undefined;
    const stop = async () => {
      await setup?.stop();
      setup = undefined;
    };
    await using(stop, async () => {
      if (from === 0) {
        setup = await startSetup({ workers: 1, instances: 1 }, ctx);
        say(`  ${o.signers} signers: SignUp + AdminConfirmSignUp through ${setup.url} (pool ${setup.poolId})`);
        const t = performance.now();
        const pgBefore = postgresCpuMs();
        const up = await signUpUsers(setup, 0, o.signers, o.signUpConcurrency);
        const confirmed = await confirmUsers(setup, 0, o.signers, o.signUpConcurrency);
        const signUp = throughput([up], o.signUpConcurrency);
        this.recordFill({
          db, from: 0, to: o.signers, method: 'signup+confirm', wallSeconds: (performance.now() - t) / 1000, writerCpuMs: up.serverCpuMs + confirmed.serverCpuMs,
          postgresCpuMs: postgresCpuMs() - pgBefore,
          detail: `SignUp ${signUp.perSecond.toFixed(0)}/s, ${signUp.serverCpuMsPerCall.toFixed(2)} ms server CPU each; AdminConfirmSignUp ${throughput([confirmed], o.signUpConcurrency).perSecond.toFixed(0)}/s`,
        });
        this.poolOf.set(db, setup.poolId);
        from = o.signers;
      }
      if (from >= to) return;
      const t = performance.now();
      const pgBefore = postgresCpuMs();
      if (this.importCommand) {
        await stop();
        const dir = mkdtempSync(join(tmpdir(), 'cognate-bench-csv-'));
        await using(async () => rmSync(dir, { recursive: true, force: true }), async () => {
          const csv = await writeFillerCsv(dir, from, to);
          say(`  importing ${count(to - from)} filler users (${relative(process.cwd(), csv)})...`);
          const imported = await importUsers(o.serverRoot, this.importCommand!, { url: ctx.databaseUrl, masterKey: ctx.masterKey }, this.poolOf.get(db)!, csv, to - from);
          this.recordFill({
            db, from, to, method: 'import', wallSeconds: (performance.now() - t) / 1000, writerCpuMs: imported.importCpuMs,
            postgresCpuMs: postgresCpuMs() - pgBefore, detail: '',
          });
        });
      } else {
        // Both cores for the server: the SignUp client here only sends small requests.
        await stop();
        setup = await startSetup({ workers: Math.min(2, this.result.machine.cores), instances: 1 }, ctx);
        say(`  ${count(to - from)} filler users: SignUp through ${setup.url} (2 workers, concurrency ${o.signUpConcurrency * 2})`);
        const up = await signUpUsers(setup, from, to, o.signUpConcurrency * 2);
        this.recordFill({
          db, from, to, method: 'signup', wallSeconds: (performance.now() - t) / 1000, writerCpuMs: up.serverCpuMs, postgresCpuMs: postgresCpuMs() - pgBefore, detail: '2 workers',
        });
      }
    });
    if (db === 'postgres') {
      const t = performance.now();
      const client = new pg.Client({ connectionString: ctx.databaseUrl });
      await client.connect();
      await client.query('vacuum analyze').finally(() => client.end());
      say(`  VACUUM ANALYZE: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  }

  private readonly poolOf = new Map<DbKind, string>();

  private recordFill(f: FillResult): void {
    this.result.fills.push(f);
    say(`  → ${count(f.to - f.from)} users in ${f.wallSeconds.toFixed(1)} s (${((f.to - f.from) / f.wallSeconds).toFixed(0)}/s)${f.detail ? `; ${f.detail}` : ''}`);
  }

  /** One configuration at one size: start it, maximum throughput, floor, open-loop latency, SignUps, stop. */
  private async measure(db: DbKind, spec: SetupSpec, size: number, ctx: SetupContext, postgresCpuMs: () => number): Promise<void> {
    const o = this.opts;
    const label = setupLabel(spec);
    this.next(`${db}, ${label}, ${count(size)} users`);
    const t = performance.now();
    const startedAt = new Date().toISOString();
    let setup: Setup | undefined;
    const stop = async () => {
      await setup?.stop();
      setup = undefined;
    };
    const run = await using(stop, async (): Promise<SizeRun> => {
      setup = await startSetup(spec, ctx);
      const parts: Parts = { setup, postgresCpuMs };
      say(`  ${label} up at ${setup.url}; waiting for it to go idle...`);
      if (!(await waitUntilIdle(() => setup!.serverCpuMs() + postgresCpuMs(), 120_000))) say('  (still busy after 120 s; measuring anyway)');
      const usersInPool = await estimatedUsers(setup);
      say(`  ${usersInPool === null ? '?' : count(usersInPool)} users in the pool; load average ${loadAverage().join(' ')}`);
      const ours = () => setup!.serverCpuMs() + setup!.nginxCpuMs() + postgresCpuMs();
      let waited = 0;
      /** A window in a quiet moment; again while other processes made it noisy (--retries); the quietest counts. */
      const quietWindow = async <T extends { window: WindowResult }>(run: () => Promise<T>): Promise<T> => {
        let best: T | undefined;
        for (let attempt = 1; attempt <= o.retries + 1; attempt++) {
          waited += await this.waitForQuiet(ours);
          const got = await run();
          got.window.attempt = attempt;
          if (!best || got.window.cores.other < best.window.cores.other) best = got;
          if (got.window.cores.other <= NOISY_CORES) break;
          if (attempt <= o.retries) say(`  noisy: other processes used ${got.window.cores.other.toFixed(2)} cores during the window; once more`);
        }
        return best!;
      };
      const warmup = o.warmupSeconds + o.serverWarmupSeconds;
      const { window: max, floor } = await quietWindow(async () => {
        say(`  maximum throughput: closed loop, ${o.concurrency} in flight, ${warmup} s warm-up + ${o.seconds} s`);
        const window = await measureWindow(parts, o, o.signers, warmup);
        say(`  → ${describeWindow(window)}`);
        // Right after the window: the floor of the same minute.
        return { window, floor: floorRun(o.floorIterations) };
      });
      this.result.floor.runs.push(floor);
      let half: WindowResult | null = null;
      if (max.signInsPerSecond > 0) {
        await waitUntilIdle(() => setup!.serverCpuMs() + postgresCpuMs(), 30_000);
        const rate = max.signInsPerSecond * o.rateFraction;
        ({ window: half } = await quietWindow(async () => {
          say(`  latency at ${Math.round(o.rateFraction * 100)} %: open loop, ${rate.toFixed(1)} sign-ins/s (Poisson), ${warmup} s warm-up + ${o.seconds} s`);
          // The full warm-up here too: the generator is a fresh process, and the queue its cold start builds must drain first.
          const window = await measureWindow(parts, o, o.signers, warmup, rate);
          say(`  → ${describeWindow(window)}`);
          return { window };
        }));
      }
      let signUp: Throughput | null = null;
      if (o.signUpProbe > 0) {
        await waitUntilIdle(() => setup!.serverCpuMs() + postgresCpuMs(), 30_000);
        waited += await this.waitForQuiet(ours);
        const first = PROBE_BASE + this.probes;
        this.probes += o.signUpProbe;
        say(`  ${o.signUpProbe} SignUps at concurrency ${o.signUpConcurrency}`);
        signUp = throughput([await signUpUsers(setup, first, first + o.signUpProbe, o.signUpConcurrency)], o.signUpConcurrency);
        say(`  → ${signUp.perSecond.toFixed(0)} SignUps/s, ${signUp.serverCpuMsPerCall.toFixed(2)} ms server CPU each; deleting them again (AdminDeleteUser)`);
        // The pool keeps its size for the next configuration.
        await deleteUsers(setup, first, first + o.signUpProbe, o.signUpConcurrency);
      }
      this.configOf(db, spec).warnings.push(...setup.warnings);
      return {
        poolSize: size, usersInPool, startedAt, wallSeconds: 0, quietWaitSeconds: waited, max, half, floorMs: floor.msPerSignIn, ratioToFloor: max.perSignInMs.server / floor.msPerSignIn, signUp,
      };
    });
    run.wallSeconds = (performance.now() - t) / 1000;
    const config = this.configOf(db, spec);
    config.runs = [...config.runs.filter((r) => r.poolSize !== size), run].sort((a, b) => a.poolSize - b.poolSize);
    say(`  ${db}, ${label}, ${count(size)} users: ${run.ratioToFloor.toFixed(2)} × floor; took ${run.wallSeconds.toFixed(0)} s`);
  }

  /**
   * Waits until processes outside the setup use at most --quiet cores, two 5 s samples in a row, for
   * at most --quiet-wait minutes: the other people on a shared machine come and go. Returns the wait, s.
   */
  private async waitForQuiet(ours: () => number): Promise<number> {
    const o = this.opts;
    if (o.quietWaitMinutes <= 0) return 0;
    const t = performance.now();
    const deadline = t + o.quietWaitMinutes * 60_000;
    let quiet = 0;
    let said = false;
    while (quiet < 2) {
      const [m0, o0] = [machineBusyMs(), ours()];
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const others = (machineBusyMs() - m0 - (ours() - o0)) / 5000;
      quiet = others <= o.quietCores ? quiet + 1 : 0;
      if (quiet === 0 && !said) {
        say(`  waiting for the machine to quiet down: other processes use ${others.toFixed(2)} cores (at most ${o.quietCores} wanted; up to ${o.quietWaitMinutes} min)`);
        said = true;
      }
      if (performance.now() > deadline) {
        say(`  the machine stayed busy (other processes ${others.toFixed(2)} cores); measuring anyway`);
        break;
      }
    }
    const waited = (performance.now() - t) / 1000;
    if (said) say(`  waited ${waited.toFixed(0)} s for a quieter machine`);
    return waited;
  }

  private configOf(db: DbKind, spec: SetupSpec): ConfigResult {
    const key = configKey(db, spec);
    let config = this.result.configs.find((c) => c.key === key);
    if (!config) {
      config = { key, db, spec, label: setupLabel(spec), runs: [], warnings: [] };
      this.result.configs.push(config);
      const order = (c: ConfigResult) => (c.db === 'sqlite' ? 0 : 100) + c.spec.instances * 10 + c.spec.workers;
      this.result.configs.sort((a, b) => order(a) - order(b));
    }
    return config;
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opts = readOptions(argv);
  if (opts.render) {
    const file = join(opts.out, `${opts.name}.json`);
    const old = JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
    if (opts.notes.length) old.notes = opts.notes;
    const files = writeReport(opts.out, { ...old, targets: checkTargets(old) });
    process.stdout.write(`Wrote ${files.map((f) => relative(process.cwd(), f)).join(', ')}\n`);
    return;
  }
  const bench = new Bench(opts, argv, new Date());
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping servers, PostgreSQL and nginx`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await bench.run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const files = bench.write(true);
  const targets = checkTargets(bench.result);
  const lines = targets.map((t) => `  ${t.result.padEnd(14)}  ${t.figure}: ${t.value} (target ${t.target})`);
  process.stdout.write(`\n${lines.join('\n')}\n\nWrote ${files.map((f) => relative(process.cwd(), f)).join(', ')}\n`);
}

main().catch(async (err: unknown) => {
  process.stderr.write(`\nbench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await cleanUp();
  process.exit(1);
});

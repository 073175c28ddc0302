import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FloorResult } from './floor.js';
import type { SetupSpec } from './setup.js';
import { round, type LatencySummary } from './stats.js';

export type DbKind = 'sqlite' | 'postgres';

/** The run's settings (the command-line flags). */
export interface BenchOptions {
  dbs: DbKind[];
  workers: number[];
  /** More than 1: also that many instances behind nginx, at instanceSizes on instanceDbs. */
  instances: number;
  instanceSizes: number[];
  instanceDbs: DbKind[];
  sizes: number[];
  /** Users signed up with a password through the API; the sign-ins pick among them. */
  signers: number;
  seconds: number;
  warmupSeconds: number;
  serverWarmupSeconds: number;
  concurrency: number;
  /** The open-loop window runs at this fraction of the measured maximum. */
  rateFraction: number;
  signUpConcurrency: number;
  /** SignUps timed per configuration and size (deleted again afterwards). */
  signUpProbe: number;
  floorIterations: number;
  fill: 'auto' | 'import' | 'api';
  /** Before each configuration: wait until other processes use at most this many cores... */
  quietCores: number;
  /** ...but no longer than this. */
  quietWaitMinutes: number;
  /** A noisy window (other processes above NOISY_CORES) is run again up to this many times. */
  retries: number;
  /** The checkout whose bin/cognate.js served (--server-root; default this one). */
  serverRoot: string;
}

/** CPU used during a window, ms, by each part of the setup. */
export interface CpuBreakdown {
  /** All Cognate processes: the primary and its workers, or every instance. */
  server: number;
  /** The postmaster and all its backends (0 on SQLite). */
  postgres: number;
  nginx: number;
  generator: number;
  /** The whole machine (/proc/stat). */
  machine: number;
}

/** One load window against one setup. */
export interface WindowResult {
  mode: 'closed' | 'open';
  /** 1 = the first try; more when earlier tries were noisy (the quietest try is kept). */
  attempt: number;
  /** Open loop: sign-ins started per second (Poisson arrivals). */
  offeredPerSecond: number | null;
  concurrency: number | null;
  maxInFlight: number | null;
  warmupSeconds: number;
  windowSeconds: number;
  signIns: number;
  signInsPerSecond: number;
  errors: number;
  errorSamples: string[];
  /** Whole sign-in as the client sees it: two requests plus the client's SRP math (open loop: from when it was due). */
  latencyMs: LatencySummary;
  /** The two HTTP round trips only. */
  httpLatencyMs: LatencySummary;
  cpuMs: CpuBreakdown;
  /** cpuMs.* / signIns. */
  perSignInMs: CpuBreakdown;
  /** cpuMs.* / window length: how many cores each part kept busy. */
  cores: CpuBreakdown & { other: number };
  /** /proc/loadavg when the window opened. */
  loadAverage: [number, number, number];
  /** Every latency of the window, ms, in completion order. */
  latencySamplesMs: number[];
}

export interface Throughput {
  users: number;
  concurrency: number;
  wallMs: number;
  perSecond: number;
  serverCpuMsPerCall: number;
}

/** One configuration at one pool size. */
export interface SizeRun {
  poolSize: number;
  /** DescribeUserPool's EstimatedNumberOfUsers before the first window. */
  usersInPool: number | null;
  startedAt: string;
  /** From starting the setup to stopping it. */
  wallSeconds: number;
  /** Of which waiting for other processes to quiet down (--quiet). */
  quietWaitSeconds: number;
  max: WindowResult;
  half: WindowResult | null;
  /** The crypto floor measured right after the maximum-throughput window. */
  floorMs: number;
  /** Server CPU per sign-in at maximum throughput / floorMs. */
  ratioToFloor: number;
  signUp: Throughput | null;
}

export interface ConfigResult {
  key: string;
  db: DbKind;
  spec: SetupSpec;
  label: string;
  runs: SizeRun[];
  warnings: string[];
}

/** Filling a pool from one size to the next. */
export interface FillResult {
  db: DbKind;
  from: number;
  to: number;
  method: 'import' | 'signup' | 'signup+confirm';
  wallSeconds: number;
  /** CPU of whatever wrote the users: the import command or the server, ms. */
  writerCpuMs: number;
  postgresCpuMs: number;
  detail: string;
}

export interface BenchResult {
  name: string;
  date: string;
  startedAt: string;
  finishedAt: string;
  /** The commands whose results this report holds (several when runs were merged with --append). */
  commands: string[];
  machine: { cpu: string; cores: number; node: string; os: string; clockTicksPerSecond: number; memoryGb: number };
  options: BenchOptions;
  postgres: { version: string; settings: Record<string, string> } | null;
  /** The code measured: HEAD and how many files under src/ differed from it (at the start of the run). */
  source?: { commit: string; uncommittedSrcFiles: number };
  fills: FillResult[];
  floor: { runs: FloorResult[] };
  configs: ConfigResult[];
  /** What the person who ran it read in the numbers (--note), shown at the top of the report. */
  notes?: string[];
  /** Set while the run is still going (the report is rewritten after every configuration). */
  inProgress: boolean;
  targets: TargetCheck[];
}

export interface TargetCheck {
  figure: string;
  value: string;
  target: string;
  result: 'pass' | 'FAIL' | 'not observable';
  note?: string;
}

const TARGET_RATIO = { postgres: 1.6, sqlite: 1.5 } as const;
const TARGET_POOL_SIZE_RATIO = 1.2;
const TARGET_P99_MS = 50;
const TARGET_WORKER_SCALING = 1.7;
const TARGET_SIGNUPS_PER_S = 300;
/** Other processes' CPU during a window above which the report calls it noisy. */
export const NOISY_CORES = 0.25;

const fmt = (v: number | null | undefined, digits = 2) => (v !== null && v !== undefined && Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const count = (n: number) => n.toLocaleString('en-US');
const short = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : count(n));
const dbName = (db: DbKind) => (db === 'sqlite' ? 'SQLite' : 'PostgreSQL');
const minutes = (s: number) => (s >= 90 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`);

/** Server CPU per sign-in over the load generator's in the same window (see the notes: a drift-resistant yardstick). */
const vsGenerator = (s: SizeRun) => s.max.perSignInMs.server / s.max.perSignInMs.generator;

/** The workers comparison of one database at one pool size: the setups with 1 and with 2+ workers. */
function workerPairs(r: Pick<BenchResult, 'configs'>) {
  const pairs: { db: DbKind; size: number; one: SizeRun; more: SizeRun; workers: number }[] = [];
  for (const one of r.configs.filter((c) => c.spec.instances === 1 && c.spec.workers === 1)) {
    for (const more of r.configs.filter((c) => c.db === one.db && c.spec.instances === 1 && c.spec.workers > 1)) {
      for (const a of one.runs) {
        const b = more.runs.find((x) => x.poolSize === a.poolSize);
        if (b) pairs.push({ db: one.db, size: a.poolSize, one: a, more: b, workers: more.spec.workers });
      }
    }
  }
  return pairs;
}

/**
 * Whether more workers could show more sign-ins/s on this machine: not when the cores were all busy
 * with the single worker already (the load generator takes the rest). Returns the reason, if not.
 */
function scalingBlocked(one: SizeRun, more: SizeRun, workers: number, cores: number): string | undefined {
  const c = one.max.cores;
  if (cores - c.machine > 0.5) return undefined;
  return (
    `with 1 worker the machine was already full: server ${fmt(c.server)} + load generator ${fmt(c.generator)}` +
    (c.postgres > 0.01 ? ` + PostgreSQL ${fmt(c.postgres)}` : '') +
    (c.other > 0.05 ? ` + other processes ${fmt(c.other)}` : '') +
    ` of ${cores} cores; with ${workers} workers the generator still needed ${fmt(more.max.cores.generator)} cores ` +
    `(${fmt(more.max.perSignInMs.generator)} ms CPU per sign-in, about as much as the server's ${fmt(more.max.perSignInMs.server)})`
  );
}

export function checkTargets(r: Omit<BenchResult, 'targets'>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const c of r.configs) {
    const limit = TARGET_RATIO[c.db];
    for (const s of c.runs) {
      checks.push({
        figure: `${dbName(c.db)}, ${c.label}, ${short(s.poolSize)} users: server CPU per sign-in / crypto floor`,
        value: `${fmt(s.ratioToFloor)} (${fmt(s.max.perSignInMs.server)} / ${fmt(s.floorMs, 3)} ms)`,
        target: `≤ ${limit}${c.db === 'sqlite' ? ' (earlier SQLite target)' : ''}`,
        result: s.ratioToFloor <= limit ? 'pass' : 'FAIL',
      });
    }
  }
  for (const c of r.configs) {
    const sorted = [...c.runs].sort((a, b) => a.poolSize - b.poolSize);
    const [small, large] = [sorted[0], sorted.at(-1)];
    if (!small || !large || small === large) continue;
    const ratio = large.ratioToFloor / small.ratioToFloor;
    const raw = large.max.perSignInMs.server / small.max.perSignInMs.server;
    const byGenerator = vsGenerator(large) / vsGenerator(small);
    checks.push({
      figure: `${dbName(c.db)}, ${c.label}: cost at ${short(large.poolSize)} / at ${short(small.poolSize)} users (× floor; raw CPU ${fmt(raw)}; ÷ generator ${fmt(byGenerator)})`,
      value: fmt(ratio),
      target: `≤ ${TARGET_POOL_SIZE_RATIO}`,
      result: ratio <= TARGET_POOL_SIZE_RATIO ? 'pass' : 'FAIL',
    });
  }
  for (const c of r.configs) {
    for (const s of c.runs) {
      if (!s.half) continue;
      checks.push({
        figure: `${dbName(c.db)}, ${c.label}, ${short(s.poolSize)} users: p99 sign-in at ${fmt(s.half.offeredPerSecond, 0)}/s (${Math.round(r.options.rateFraction * 100)} % of max, open loop)`,
        value: `${fmt(s.half.latencyMs.p99, 1)} ms`,
        target: `< ${TARGET_P99_MS} ms`,
        result: s.half.latencyMs.p99 < TARGET_P99_MS ? 'pass' : 'FAIL',
      });
    }
  }
  for (const p of workerPairs(r)) {
    const ratio = p.more.max.signInsPerSecond / p.one.max.signInsPerSecond;
    const blocked = scalingBlocked(p.one, p.more, p.workers, r.machine.cores);
    checks.push({
      figure: `${dbName(p.db)}, ${short(p.size)} users: sign-ins/s with ${p.workers} workers / 1 worker`,
      value: `${fmt(ratio)} (${fmt(p.more.max.signInsPerSecond, 0)} / ${fmt(p.one.max.signInsPerSecond, 0)})`,
      target: `≥ ${TARGET_WORKER_SCALING}`,
      result: ratio >= TARGET_WORKER_SCALING ? 'pass' : blocked ? 'not observable' : 'FAIL',
      note: ratio >= TARGET_WORKER_SCALING ? undefined : blocked,
    });
  }
  for (const c of r.configs) {
    const probes = c.runs.filter((s) => s.signUp);
    if (probes.length === 0) continue;
    const worst = probes.reduce((a, b) => (b.signUp!.perSecond < a.signUp!.perSecond ? b : a));
    checks.push({
      figure: `${dbName(c.db)}, ${c.label}: SignUps/s, lowest of ${probes.map((s) => short(s.poolSize)).join(' / ')} users (concurrency ${worst.signUp!.concurrency})`,
      value: `${fmt(worst.signUp!.perSecond, 0)} (at ${short(worst.poolSize)})`,
      target: `≥ ${TARGET_SIGNUPS_PER_S} (earlier target)`,
      result: worst.signUp!.perSecond >= TARGET_SIGNUPS_PER_S ? 'pass' : 'FAIL',
    });
  }
  const errors = r.configs.flatMap((c) => c.runs).reduce((sum, s) => sum + s.max.errors + (s.half?.errors ?? 0), 0);
  checks.push({ figure: 'Failed sign-ins (all windows)', value: String(errors), target: '0', result: errors === 0 ? 'pass' : 'FAIL' });
  return checks;
}

function configTable(c: ConfigResult): string[] {
  const runs = [...c.runs].sort((a, b) => a.poolSize - b.poolSize);
  const pg = c.db === 'postgres';
  const ngx = c.spec.instances > 1;
  const head = [
    'Pool size', 'Users in pool', 'Sign-ins/s', 'p50 / p99 ms', 'Server CPU ms/sign-in', 'Floor ms', '× floor',
    ...(pg ? ['PostgreSQL CPU ms/sign-in'] : []), ...(ngx ? ['nginx CPU ms/sign-in'] : []),
    'Generator CPU ms/sign-in', 'Server ÷ generator', 'Cores: server / generator / other', `Open loop: offered/s → done/s`, 'Open loop p50 / p99 ms (p99 of the HTTP calls alone)', 'SignUps/s', 'Took',
  ];
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---:').join('|')}|`,
    ...runs.map((s) => {
      const m = s.max;
      const cells = [
        count(s.poolSize), s.usersInPool === null ? 'n/a' : count(s.usersInPool), fmt(m.signInsPerSecond, 1), `${fmt(m.latencyMs.p50, 1)} / ${fmt(m.latencyMs.p99, 1)}`,
        fmt(m.perSignInMs.server), fmt(s.floorMs, 3), fmt(s.ratioToFloor),
        ...(pg ? [fmt(m.perSignInMs.postgres)] : []), ...(ngx ? [fmt(m.perSignInMs.nginx)] : []),
        fmt(m.perSignInMs.generator), fmt(m.perSignInMs.server / m.perSignInMs.generator), `${fmt(m.cores.server)} / ${fmt(m.cores.generator)} / ${fmt(m.cores.other)}`,
        s.half ? `${fmt(s.half.offeredPerSecond, 0)} → ${fmt(s.half.signInsPerSecond, 0)}` : 'n/a',
        s.half ? `${fmt(s.half.latencyMs.p50, 1)} / ${fmt(s.half.latencyMs.p99, 1)} (${fmt(s.half.httpLatencyMs.p99, 1)})` : 'n/a',
        s.signUp ? fmt(s.signUp.perSecond, 0) : '', minutes(s.wallSeconds),
      ];
      return `| ${cells.join(' | ')} |`;
    }),
  ];
}

function workersSection(r: BenchResult): string[] {
  const pairs = workerPairs(r);
  if (pairs.length === 0) return [];
  const lines = [
    '## Workers on this machine',
    '',
    `Target: sign-ins/s with 2 workers ≥ ${TARGET_WORKER_SCALING} × one worker. The load generator runs on the same ${r.machine.cores} cores and needs ` +
      'about as much CPU per sign-in as the server (it does the client half of SRP), so once one worker and the generator fill the machine a second ' +
      'worker has no core to run on. The table gives what was measured, where the CPU went, and — derived, not measured — what the server could do ' +
      'if it had every core to itself (cores ÷ server CPU per sign-in): it shows whether a second worker adds cost per sign-in, which is what this machine can tell.',
    '',
    '| Database | Pool size | Workers | Sign-ins/s (measured) | Ratio | Cores: server / generator / PostgreSQL / other | Server CPU ms/sign-in | Derived: sign-ins/s with min(workers, cores) cores to the server alone |',
    '|---|---:|---:|---:|---:|---|---:|---:|',
  ];
  for (const p of pairs) {
    for (const [w, s] of [[1, p.one], [p.workers, p.more]] as const) {
      const derived = (Math.min(w, r.machine.cores) * 1000) / s.max.perSignInMs.server;
      lines.push(
        `| ${dbName(p.db)} | ${count(p.size)} | ${w} | ${fmt(s.max.signInsPerSecond, 1)} | ${w === 1 ? '' : fmt(s.max.signInsPerSecond / p.one.max.signInsPerSecond)} | ` +
          `${fmt(s.max.cores.server)} / ${fmt(s.max.cores.generator)} / ${fmt(s.max.cores.postgres)} / ${fmt(s.max.cores.other)} | ${fmt(s.max.perSignInMs.server)} | ${fmt(derived, 0)} |`,
      );
    }
  }
  lines.push('');
  return lines;
}

function timingSection(r: BenchResult): string[] {
  const lines = ['## How long each step took', '', '| Step | Method | Took | Rate | Writer CPU | PostgreSQL CPU |', '|---|---|---:|---:|---:|---:|'];
  for (const f of r.fills) {
    lines.push(
      `| ${dbName(f.db)}: fill ${count(f.from)} → ${count(f.to)} users | ${f.method}${f.detail ? ` (${f.detail})` : ''} | ${minutes(f.wallSeconds)} | ` +
        `${fmt((f.to - f.from) / f.wallSeconds, 0)}/s | ${fmt(f.writerCpuMs / 1000, 1)} s | ${f.db === 'postgres' ? `${fmt(f.postgresCpuMs / 1000, 1)} s` : ''} |`,
    );
  }
  for (const c of r.configs) {
    for (const s of [...c.runs].sort((a, b) => a.poolSize - b.poolSize)) {
      const waited = s.quietWaitSeconds >= 1 ? ` (of which ${minutes(s.quietWaitSeconds)} waiting for a quieter machine)` : '';
      lines.push(`| ${dbName(c.db)}, ${c.label}, ${count(s.poolSize)} users: start, windows, floor${s.signUp ? ', SignUps' : ''}, stop | | ${minutes(s.wallSeconds)}${waited} | | | |`);
    }
  }
  lines.push('');
  return lines;
}

function markdown(r: BenchResult, svgName: string): string {
  const counts = { pass: 0, FAIL: 0, 'not observable': 0 };
  for (const t of r.targets) counts[t.result]++;
  const windows = r.configs.flatMap((c) => c.runs.flatMap((s) => [s.max, ...(s.half ? [s.half] : [])]));
  const loads = windows.map((w) => w.loadAverage[0]);
  const others = windows.map((w) => w.cores.other);
  const o = r.options;
  const lines = [
    `# Sign-in benchmark at scale, ${r.date}${r.inProgress ? ' (run in progress: partial)' : ''}`,
    '',
    `- Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${fmt(r.machine.memoryGb, 0)} GB, ${r.machine.os}, Node ${r.machine.node}`,
    ...r.commands.map((c) => `- Command: \`${c}\``),
    `- Run: ${r.startedAt} to ${r.finishedAt}` +
      (r.source ? `; code: commit ${r.source.commit}${r.source.uncommittedSrcFiles ? ` and ${r.source.uncommittedSrcFiles} files under src/ changed since (others' work in progress, which may change during a run: each setup runs the code as it is when it starts)` : ''}` : ''),
    `- Servers: \`node bin/cognate.js serve --workers N\` (log level warn, dev outbox, demo pool with email as username); ` +
      `SQLite: a fresh file; PostgreSQL: ${r.postgres ? `${r.postgres.version}, a throwaway cluster with default durability (${Object.entries(r.postgres.settings).map(([k, v]) => `${k}=${v}`).join(', ')})` : 'not run'}`,
    `- Machine load while measuring: 1-minute load average ${fmt(Math.min(...loads), 1)}–${fmt(Math.max(...loads), 1)} at the windows' start; ` +
      `CPU of processes outside the setup ${fmt(Math.min(...others))}–${fmt(Math.max(...others))} cores during the windows (per window in the JSON).`,
    `- Targets: ${counts.pass} met, ${counts.FAIL} missed, ${counts['not observable']} not observable on this machine`,
    '',
    '| Figure | Value | Target | Result |',
    '|---|---:|---|---|',
    ...r.targets.map((t) => `| ${t.figure} | ${t.value} | ${t.target} | ${t.result === 'pass' ? 'pass' : `**${t.result}**`} |`),
    '',
    ...r.targets.filter((t) => t.note).map((t) => `- *${t.figure}*: not observable — ${t.note}.`),
    '',
    ...(r.notes?.length ? ['## Reading this run', '', ...r.notes.map((n) => `- ${n}`), ''] : []),
    `![Server CPU per sign-in against pool size, one line per configuration](${svgName})`,
    '',
  ];
  for (const c of r.configs) {
    lines.push(`## ${dbName(c.db)}, ${c.label}`, '', ...configTable(c), '');
    if (c.warnings.length) lines.push(`Server warnings: ${c.warnings.length}, e.g. \`${c.warnings[0]!.slice(0, 300)}\``, '');
    for (const s of c.runs) {
      for (const w of [s.max, s.half]) {
        if (w?.errorSamples.length) lines.push(`- Errors at ${count(s.poolSize)} users (${w.mode} loop): ${w.errorSamples.map((e) => `\`${e.slice(0, 200)}\``).join('; ')}`);
        if (w && w.cores.other > NOISY_CORES) {
          lines.push(`- **Noisy window** at ${count(s.poolSize)} users (${w.mode} loop): other processes used ${fmt(w.cores.other)} cores (load average ${fmt(w.loadAverage[0], 1)}); its CPU per sign-in is likely inflated.`);
        }
      }
    }
    lines.push('');
  }
  lines.push(...workersSection(r), ...timingSection(r));
  lines.push(
    '## How it is measured',
    '',
    `- Users: ${count(o.signers)} users sign up with a password through the API (SignUp, then AdminConfirmSignUp) and are the ones who sign in, picked at random. ` +
      'The rest of each pool is filler: imported with `cognate users import` (RESET_REQUIRED, no password) where that command exists, else created by SignUp (UNCONFIRMED). ' +
      'Their emails (bench-user-<n>@example.com) interleave with the signers\' in every index. "Users in pool" is DescribeUserPool\'s EstimatedNumberOfUsers before the windows.',
    `- Maximum throughput: closed loop, ${o.concurrency} sign-ins in flight, ${o.warmupSeconds + o.serverWarmupSeconds} s warm-up (the setup and the load generator start cold), ` +
      `${o.seconds} s measured. One sign-in = InitiateAuth USER_SRP_AUTH + RespondToAuthChallenge PASSWORD_VERIFIER over HTTP from a separate load-generator process ` +
      '(plain fetch; client math from src/crypto/srp.ts with a 256-bit a and g^x remembered per user).',
    `- Latency at ${Math.round(o.rateFraction * 100)} % of that maximum: open loop, Poisson arrivals at ${Math.round(o.rateFraction * 100)} % of the sign-ins/s just measured, ` +
      `${o.warmupSeconds + o.serverWarmupSeconds} s warm-up (a shorter one let the queue built while the fresh generator process warmed up spill into the window), ` +
      `${o.seconds} s measured; each latency counts from when the sign-in was due, so queueing shows.`,
    '- Server CPU: utime + stime from /proc of every Cognate process of the setup (the cluster primary and its workers, or all instances), read when a window opens and ' +
      'closes, divided by the sign-ins completed in it. PostgreSQL (postmaster and backends) and nginx are measured the same way and reported apart: they are not our ' +
      'server, but they are part of what a sign-in costs. "Other" is the rest of the machine (/proc/stat): other people\'s work on this shared VM.',
    `- Crypto floor: what a sign-in's server crypto costs (g^b, v^u, (A·v^u)^b, HKDF, claim HMAC, two RS256 signatures), ${r.floor.runs[0]?.iterations ?? 0} times in the ` +
      'bench process (5 batches, median), measured right after each maximum-throughput window; the ratio compares the window with the floor of the same minute, because ' +
      'this shared VM speeds up and slows down over minutes.',
    '- Why "server ÷ generator" too: the floor is big-number arithmetic in OpenSSL (small working set), while serving a request is V8, JSON, HTTP and ' +
      'the database driver (caches, memory). On this shared VM the second slows down by up to a third from one quarter-hour to the next (other tenants) ' +
      'while the first hardly moves, so a ratio to the floor drifts with the machine. The load generator does a fixed amount of work of the same kind ' +
      '(HTTP, JSON, SRP client math) per sign-in, in the same window: server CPU over generator CPU cancels most of that drift. The targets are ' +
      'stated against the floor and judged against it; the second ratio tells whether a difference between two windows is the code or the machine.',
    `- SignUps/s: ${count(o.signUpProbe)} SignUps (unsigned, plain fetch; each queues a confirmation mail to the dev outbox) at concurrency ${o.signUpConcurrency} ` +
      'against each configuration at each size, after its sign-in windows; AdminDeleteUser removes them again so that the pool keeps its size. ' +
      'Server CPU per SignUp includes the SRP verifier (one g^x) and the mail.',
    `- A shared machine: before each window the run waited until processes outside the setup used at most ${o.quietCores} cores for two 5 s samples in a row ` +
      `(at most ${o.quietWaitMinutes} min; the waits are in the timing table), and a window in which they used more than ${NOISY_CORES} cores was run again ` +
      `(up to ${o.retries} times; the quietest try counts, its number is \`attempt\` in the JSON). Each window's "other" cores are reported.`,
    '- PostgreSQL gets VACUUM ANALYZE after each fill (as after any bulk load; autovacuum would do it within minutes, possibly during a window).',
    '',
  );
  return lines.join('\n');
}

const escapeXml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const COLORS = { sqlite: ['#1f5fa8', '#5b9bd5', '#9cc3e8'], postgres: ['#b5472f', '#e08a3c', '#7a9a2f'] } as const;

/**
 * Two panels against pool size (log scale): server CPU ms per sign-in, and the same as a multiple of
 * the crypto floor with the targets dashed. One line per configuration.
 */
function costChart(r: BenchResult): string {
  const width = 900;
  const height = 420;
  const panel = { w: 360, h: 250, top: 50 };
  const lefts = [60, 500];
  const sizes = [...new Set(r.configs.flatMap((c) => c.runs.map((s) => s.poolSize)))].sort((a, b) => a - b);
  const lo = Math.log10(sizes[0] ?? 1000);
  const hi = Math.max(Math.log10(sizes.at(-1) ?? 1e6), lo + 1);
  const x = (left: number, size: number) => left + 20 + ((Math.log10(size) - lo) / (hi - lo)) * (panel.w - 40);
  const series = r.configs.map((c) => {
    const i = r.configs.filter((d) => d.db === c.db).indexOf(c);
    return { c, color: COLORS[c.db][i % 3]!, dash: c.spec.instances > 1 ? '6 3' : '', runs: [...c.runs].sort((a, b) => a.poolSize - b.poolSize) };
  });
  const panels = [
    { title: 'Server CPU ms per sign-in', value: (s: SizeRun) => s.max.perSignInMs.server, targets: [] as number[] },
    { title: 'Server CPU per sign-in ÷ crypto floor', value: (s: SizeRun) => s.ratioToFloor, targets: [...new Set(r.configs.map((c) => TARGET_RATIO[c.db]))] },
  ];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">Sign-in cost against pool size (${escapeXml(r.date)}, ${r.machine.cores} cores)</text>`,
  ];
  panels.forEach((p, pi) => {
    const left = lefts[pi]!;
    const values = series.flatMap((s) => s.runs.map(p.value)).filter(Number.isFinite);
    // A round step (0.25, 0.5, 1, 2, 2.5, 5 × 10^n) giving 4 to 8 gridlines.
    const top = Math.max(...values, ...p.targets, 0.1) * 1.1;
    const step = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50].find((st) => top / st <= 8) ?? 100;
    const ticks = Math.ceil(top / step);
    const max = ticks * step;
    const bottom = panel.top + panel.h;
    const y = (v: number) => bottom - (panel.h * v) / max;
    parts.push(
      `<text x="${left + panel.w / 2}" y="${panel.top - 12}" text-anchor="middle">${escapeXml(p.title)}</text>`,
      `<line x1="${left}" y1="${bottom}" x2="${left + panel.w}" y2="${bottom}" stroke="#333"/>`,
      `<line x1="${left}" y1="${panel.top}" x2="${left}" y2="${bottom}" stroke="#333"/>`,
    );
    for (let i = 0; i <= ticks; i++) {
      const v = step * i;
      parts.push(
        `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${Number(v.toFixed(2))}</text>`,
        `<line x1="${left}" y1="${y(v).toFixed(1)}" x2="${left + panel.w}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`,
      );
    }
    for (const size of sizes) parts.push(`<text x="${x(left, size).toFixed(1)}" y="${bottom + 16}" text-anchor="middle" fill="#555">${short(size)}</text>`);
    parts.push(`<text x="${left + panel.w / 2}" y="${bottom + 32}" text-anchor="middle" fill="#555">users in the pool (log scale)</text>`);
    for (const t of p.targets) {
      parts.push(
        `<line x1="${left}" y1="${y(t).toFixed(1)}" x2="${left + panel.w}" y2="${y(t).toFixed(1)}" stroke="#c00" stroke-dasharray="4 3"/>`,
        t === TARGET_RATIO.postgres
          ? `<text x="${left + panel.w - 4}" y="${(y(t) - 4).toFixed(1)}" text-anchor="end" fill="#c00">target ${t} × (PostgreSQL)</text>`
          : `<text x="${left + 4}" y="${(y(t) + 13).toFixed(1)}" fill="#c00">target ${t} × (SQLite)</text>`,
      );
    }
    for (const s of series) {
      const pts = s.runs.map((run) => `${x(left, run.poolSize).toFixed(1)},${y(p.value(run)).toFixed(1)}`);
      if (pts.length > 1) parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
      for (const pt of pts) {
        const [cx, cy] = pt.split(',');
        parts.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${s.color}"/>`);
      }
    }
  });
  series.forEach((s, i) => {
    const lx = 60 + (i % 3) * 280;
    const ly = panel.top + panel.h + 62 + Math.floor(i / 3) * 20;
    parts.push(
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 24}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
      `<text x="${lx + 30}" y="${ly}">${escapeXml(`${dbName(s.c.db)}, ${s.c.label}`)}</text>`,
    );
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

/** Writes <name>.json, <name>.md and <name>-cost.svg into `dir`; returns their paths. */
export function writeReport(dir: string, r: BenchResult): string[] {
  mkdirSync(dir, { recursive: true });
  const svgName = `${r.name}-cost.svg`;
  const files = { json: join(dir, `${r.name}.json`), md: join(dir, `${r.name}.md`), svg: join(dir, svgName) };
  writeFileSync(files.json, `${JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' ? round(v, 3) : v), 2)}\n`);
  writeFileSync(files.md, markdown(r, svgName));
  writeFileSync(files.svg, costChart(r));
  return Object.values(files);
}

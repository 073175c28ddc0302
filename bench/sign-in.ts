import { fork, type ChildProcess } from 'node:child_process';
import { arch, cpus, release, type } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureFloor, type FloorResult } from './floor.js';
import type { LoadArgs, LoadMessage, LoadResult } from './load-generator.js';
import { confirmUsers, signUpUsers, type BatchTiming } from './populate.js';
import { checkTargets, writeReport, type BenchOptions, type BenchResult, type SignInPhase, type Throughput } from './report.js';
import { CLOCK_TICKS, cpuTicks, machineBusyMs, startServerProcess, type ServerProcess } from './server-process.js';
import { round, summarize } from './stats.js';

/**
 * `npm run bench`: SignUp throughput, then SRP sign-in throughput, latency and server CPU per sign-in
 * against the crypto floor, at a small pool and at the full pool. Writes bench/results/<date>.{md,json}
 * and <date>-cost.svg. See `--help`.
 */
const HELP = `Usage: npm run bench -- [options]      (or: npx tsx bench/sign-in.ts [options])

  --users N               users in the pool at the end (default 10000, or env BENCH_USERS)
  --small N               pool size of the first sign-in measurement (default 1000; users/10 when not below --users)
  --seconds S             measured sign-in window per pool size (default 20)
  --warmup S              sign-in warm-up before each window (default 3)
  --server-warmup S       extra warm-up before the first window, while the server's JIT settles (default 10)
  --concurrency C         sign-ins in flight (default 4)
  --signup-concurrency C  SignUp / AdminConfirmSignUp requests in flight (default 16)
  --floor-iterations N    repetitions of the crypto floor, in 5 batches whose median counts (default 1000)
  --out DIR               where the report goes (default bench/results)

  env BENCH_SERVER_NODE_ARGS  extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
`;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

interface Options extends BenchOptions {
  out: string;
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      users: { type: 'string' },
      small: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      'server-warmup': { type: 'string' },
      concurrency: { type: 'string' },
      'signup-concurrency': { type: 'string' },
      'floor-iterations': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const num = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min} (got ${raw})\n\n${HELP}`);
    return n;
  };
  const users = Math.floor(num('users', values.users ?? process.env.BENCH_USERS, 10_000, 2));
  const small = Math.floor(num('small', values.small, 1000, 1));
  const out = values.out ?? join(repoRoot, 'bench', 'results');
  return {
    users,
    smallPool: small < users ? small : Math.max(1, Math.floor(users / 10)),
    seconds: num('seconds', values.seconds, 20, 1),
    warmupSeconds: num('warmup', values.warmup, 3, 0),
    serverWarmupSeconds: num('server-warmup', values['server-warmup'], 10, 0),
    concurrency: Math.floor(num('concurrency', values.concurrency, 4, 1)),
    signUpConcurrency: Math.floor(num('signup-concurrency', values['signup-concurrency'], 16, 1)),
    floorIterations: Math.floor(num('floor-iterations', values['floor-iterations'], 1000, 10)),
    out: isAbsolute(out) ? out : join(process.cwd(), out),
  };
}

/** The command as the user typed it, near enough to paste again. */
function commandLine(argv: string[]): string {
  const env = process.env.BENCH_USERS ? `BENCH_USERS=${process.env.BENCH_USERS} ` : '';
  if (process.env.npm_lifecycle_event === 'bench') return `${env}npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  return `${env}npx tsx bench/sign-in.ts${argv.length ? ` ${argv.join(' ')}` : ''}`;
}

function localDate(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** Child processes to kill if the run fails or is interrupted. */
const children = new Set<ChildProcess>();

/** CPU time (ms) used so far by the server, the load generator and the whole machine. */
interface CpuSnapshot {
  server: number;
  generator: number;
  machine: number;
}

interface LoadRun {
  load: LoadResult;
  /** CPU used during the measured window. */
  cpu: CpuSnapshot;
}

/** One measured sign-in window: the load generator in its own process, CPU times read at the window's edges. */
function runLoad(server: ServerProcess, args: LoadArgs): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    const child = fork(join(repoRoot, 'bench', 'load-generator.ts'), [JSON.stringify(args)], {
      cwd: repoRoot,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(child);
    const snapshot = (): CpuSnapshot => ({ server: server.cpuMs(), generator: (cpuTicks(child.pid!) * 1000) / CLOCK_TICKS, machine: machineBusyMs() });
    let start: CpuSnapshot | undefined;
    let end: CpuSnapshot | undefined;
    let done = false;
    const timer = setTimeout(() => finish(new Error('the load generator did not finish in time')), (args.warmupSeconds + args.seconds + 120) * 1000);
    const finish = (err?: Error, load?: LoadResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      children.delete(child);
      if (child.exitCode === null) child.kill();
      if (err) reject(err);
      else if (!start || !end) reject(new Error('the load generator never opened or closed its window'));
      else resolve({ load: load!, cpu: { server: end.server - start.server, generator: end.generator - start.generator, machine: end.machine - start.machine } });
    };
    child.on('message', (m: LoadMessage) => {
      if (m.type === 'window-start') start = snapshot();
      else if (m.type === 'window-end') end = snapshot();
      else if (m.type === 'result') finish(undefined, m);
    });
    // 'exit' can overtake the last IPC message: give the result a moment to arrive.
    child.once('exit', (code, signal) => setTimeout(() => finish(new Error(`the load generator exited (${signal ?? `code ${code}`}) without a result`)), 1000));
    child.once('error', (err) => finish(err));
    server.crashed.catch((err: Error) => finish(err));
  });
}

async function measureSignIn(server: ServerProcess, poolSize: number, opts: Options, warmupSeconds: number, floorMs: number): Promise<SignInPhase> {
  const label = `  sign-in at ${poolSize.toLocaleString('en-US')} users`;
  process.stderr.write(`${label}: waiting for the server to go idle...\n`);
  await Promise.race([server.waitUntilIdle(), server.crashed]);
  process.stderr.write(`${label}: ${warmupSeconds} s warm-up + ${opts.seconds} s measured, concurrency ${opts.concurrency}\n`);
  const { load, cpu } = await runLoad(server, {
    url: server.url, poolId: server.poolId, clientId: server.clientId, users: poolSize,
    concurrency: opts.concurrency, warmupSeconds, seconds: opts.seconds,
  });
  const windowSeconds = load.windowMs / 1000;
  const perSignIn = load.signIns > 0 ? cpu.server / load.signIns : Number.NaN;
  const phase: SignInPhase = {
    poolSize,
    concurrency: opts.concurrency,
    warmupSeconds,
    windowSeconds,
    signIns: load.signIns,
    signInsPerSecond: load.signIns / windowSeconds,
    errors: load.errors,
    errorSamples: load.errorSamples,
    latencyMs: summarize(load.latencies),
    httpLatencyMs: summarize(load.httpLatencies),
    serverCpuMs: cpu.server,
    serverCpuMsPerSignIn: perSignIn,
    floorMs,
    ratioToFloor: perSignIn / floorMs,
    generatorCpuMsPerSignIn: load.signIns > 0 ? cpu.generator / load.signIns : Number.NaN,
    machineBusyCores: cpu.machine / load.windowMs,
    otherProcessesCores: Math.max(0, cpu.machine - cpu.server - cpu.generator) / load.windowMs,
    latencySamplesMs: load.latencies.map((v) => round(v, 2)),
  };
  process.stderr.write(
    `  → ${phase.signInsPerSecond.toFixed(1)} sign-ins/s, p50 ${phase.latencyMs.p50.toFixed(1)} ms, p99 ${phase.latencyMs.p99.toFixed(1)} ms, ` +
      `server ${perSignIn.toFixed(2)} ms CPU/sign-in (${phase.ratioToFloor.toFixed(2)} × floor), ` +
      `other processes ${phase.otherProcessesCores.toFixed(2)} cores${load.errors ? `, ${load.errors} errors` : ''}\n`,
  );
  return phase;
}

function throughput(batches: BatchTiming[], concurrency: number): Throughput {
  const users = batches.reduce((s, b) => s + b.count, 0);
  const wallMs = batches.reduce((s, b) => s + b.wallMs, 0);
  const cpu = batches.reduce((s, b) => s + b.serverCpuMs, 0);
  return { users, concurrency, wallMs, perSecond: users / (wallMs / 1000), serverCpuMsPerCall: cpu / users };
}

function floorRun(iterations: number): FloorResult {
  process.stderr.write(`  crypto floor: ${iterations} sign-ins' worth of server crypto...\n`);
  const f = measureFloor(iterations);
  process.stderr.write(`  → ${f.msPerSignIn.toFixed(3)} ms CPU per sign-in\n`);
  return f;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opts = readOptions(argv);
  const startedAt = new Date();
  const floors = [floorRun(opts.floorIterations)];
  const floorMs = () => Math.min(...floors.map((f) => f.msPerSignIn));

  process.stderr.write('  starting the server (node --import tsx src/main.ts)...\n');
  const server = await startServerProcess(repoRoot, process.env.BENCH_SERVER_NODE_ARGS?.split(/\s+/).filter(Boolean));
  const stopAll = async () => {
    for (const c of children) c.kill();
    await server.stop();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n  ${signal}: stopping the server\n`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const signUps: BatchTiming[] = [];
  const confirms: BatchTiming[] = [];
  const phases: SignInPhase[] = [];
  try {
    process.stderr.write(`  server ${server.url} (pid ${server.pid}), pool ${server.poolId}, client ${server.clientId}\n`);
    let created = 0;
    for (const size of [opts.smallPool, opts.users]) {
      signUps.push(await signUpUsers(server, created, size, opts.signUpConcurrency));
      confirms.push(await confirmUsers(server, created, size, opts.signUpConcurrency));
      created = size;
      const warmup = opts.warmupSeconds + (phases.length === 0 ? opts.serverWarmupSeconds : 0);
      const phase = await measureSignIn(server, size, opts, warmup, floorMs());
      // The floor again right after the window: on a shared VM the machine itself speeds up and slows
      // down over minutes, and a ratio to a floor measured in the same minute cancels that out.
      const own = floorRun(opts.floorIterations);
      floors.push(own);
      phase.floorMs = own.msPerSignIn;
      phase.ratioToFloor = phase.serverCpuMsPerSignIn / own.msPerSignIn;
      phases.push(phase);
    }
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const first = phases[0]!;
  const last = phases.at(-1)!;
  const cpu = cpus();
  const partial: Omit<BenchResult, 'targets'> = {
    date: localDate(startedAt),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: commandLine(argv),
    machine: { cpu: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length, node: process.version, os: `${type()} ${release()} ${arch()}`, clockTicksPerSecond: CLOCK_TICKS },
    options: {
      users: opts.users, smallPool: opts.smallPool, seconds: opts.seconds, warmupSeconds: opts.warmupSeconds, serverWarmupSeconds: opts.serverWarmupSeconds,
      concurrency: opts.concurrency, signUpConcurrency: opts.signUpConcurrency, floorIterations: opts.floorIterations,
    },
    server: { poolId: server.poolId, warnings: server.warnings },
    signUp: throughput(signUps, opts.signUpConcurrency),
    confirm: throughput(confirms, opts.signUpConcurrency),
    floor: { runs: floors, msPerSignIn: floorMs() },
    signIn: phases,
    poolSizeRatio: phases.length > 1 ? last.ratioToFloor / first.ratioToFloor : null,
    poolSizeRatioRaw: phases.length > 1 ? last.serverCpuMsPerSignIn / first.serverCpuMsPerSignIn : null,
  };
  const result: BenchResult = { ...partial, targets: checkTargets(partial) };
  const files = writeReport(opts.out, result);

  const lines = result.targets.map((t) => `  ${t.pass ? 'pass' : 'FAIL'}  ${t.figure}: ${t.value} (target ${t.target})`);
  process.stdout.write(`\n${lines.join('\n')}\n\nWrote ${files.map((f) => relative(process.cwd(), f)).join(', ')}\n`);
}

main().catch((err: unknown) => {
  for (const c of children) c.kill();
  process.stderr.write(`\nbench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

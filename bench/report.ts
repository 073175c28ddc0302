import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FloorResult } from './floor.js';
import { round, type LatencySummary } from './stats.js';

/** The run's settings (the command-line flags). */
export interface BenchOptions {
  users: number;
  smallPool: number;
  seconds: number;
  warmupSeconds: number;
  serverWarmupSeconds: number;
  concurrency: number;
  signUpConcurrency: number;
  floorIterations: number;
}

/** Everything one run measured; written as JSON as is, and rendered as Markdown and an SVG chart. */
export interface SignInPhase {
  poolSize: number;
  concurrency: number;
  warmupSeconds: number;
  windowSeconds: number;
  signIns: number;
  signInsPerSecond: number;
  errors: number;
  errorSamples: string[];
  /** Whole sign-in as the client sees it: two requests plus the client's SRP math. */
  latencyMs: LatencySummary;
  /** The two HTTP round trips only. */
  httpLatencyMs: LatencySummary;
  serverCpuMs: number;
  serverCpuMsPerSignIn: number;
  /** The crypto floor measured right after this window (same machine state: a shared VM drifts). */
  floorMs: number;
  ratioToFloor: number;
  /** The load generator's CPU per sign-in (client SRP math and fetch). */
  generatorCpuMsPerSignIn: number;
  /** CPU the whole machine used during the window, in cores. */
  machineBusyCores: number;
  /** The part of it that was neither the server nor the load generator (other work on a shared machine). */
  otherProcessesCores: number;
  /** Every sign-in latency of the window, ms, in completion order. */
  latencySamplesMs: number[];
}

export interface Throughput {
  users: number;
  concurrency: number;
  wallMs: number;
  perSecond: number;
  serverCpuMsPerCall: number;
}

export interface BenchResult {
  date: string;
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: { cpu: string; cores: number; node: string; os: string; clockTicksPerSecond: number };
  options: BenchOptions;
  server: { poolId: string; warnings: string[] };
  signUp: Throughput;
  confirm: Throughput;
  floor: { runs: FloorResult[]; msPerSignIn: number };
  signIn: SignInPhase[];
  /** Server CPU per sign-in at the largest pool over the smallest. */
  /** Cost at the largest pool / cost at the smallest, each as a multiple of its own window's floor. */
  poolSizeRatio: number | null;
  /** The same without correcting for machine drift (raw server CPU per sign-in). */
  poolSizeRatioRaw: number | null;
  targets: TargetCheck[];
}

export interface TargetCheck {
  figure: string;
  value: string;
  target: string;
  pass: boolean;
}

const TARGET_SIGNUPS_PER_S = 300;
const TARGET_RATIO_TO_FLOOR = 1.5;
const TARGET_POOL_SIZE_RATIO = 1.2;
/** Other processes' CPU during a window above which the report calls the window noisy. */
const NOISY_CORES = 0.25;

const fmt = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const count = (n: number) => n.toLocaleString('en-US');

export function checkTargets(r: Omit<BenchResult, 'targets'>): TargetCheck[] {
  const checks: TargetCheck[] = [
    { figure: `SignUps/s (${count(r.signUp.users)} users, concurrency ${r.signUp.concurrency})`, value: fmt(r.signUp.perSecond, 0), target: `≥ ${TARGET_SIGNUPS_PER_S}`, pass: r.signUp.perSecond >= TARGET_SIGNUPS_PER_S },
  ];
  for (const p of r.signIn) {
    checks.push({
      figure: `Server CPU / crypto floor at ${count(p.poolSize)} users`,
      value: fmt(p.ratioToFloor),
      target: `≤ ${TARGET_RATIO_TO_FLOOR}`,
      pass: p.ratioToFloor <= TARGET_RATIO_TO_FLOOR,
    });
  }
  const [small, large] = [r.signIn[0], r.signIn.at(-1)];
  if (r.poolSizeRatio !== null && small && large) {
    checks.push({
      figure: `Sign-in cost at ${count(large.poolSize)} users / at ${count(small.poolSize)} users (× floor; raw ${fmt(r.poolSizeRatioRaw ?? Number.NaN)})`,
      value: fmt(r.poolSizeRatio),
      target: `≤ ${TARGET_POOL_SIZE_RATIO} (stated for 100k vs 1k)`,
      pass: r.poolSizeRatio <= TARGET_POOL_SIZE_RATIO,
    });
  }
  const errors = r.signIn.reduce((s, p) => s + p.errors, 0);
  checks.push({ figure: 'Failed sign-ins', value: String(errors), target: '0', pass: errors === 0 });
  return checks;
}

function markdown(r: BenchResult, svgName: string): string {
  const passed = r.targets.every((t) => t.pass);
  const rows = [
    '| Figure | Value | Target | Result |',
    '|---|---:|---|---|',
    ...r.targets.map((t) => `| ${t.figure} | ${t.value} | ${t.target} | ${t.pass ? 'pass' : '**FAIL**'} |`),
  ];
  const phases = [
    '| Pool size | Sign-ins | Sign-ins/s | p50 ms | p99 ms | p50 / p99 HTTP only, ms | Server CPU ms/sign-in | Floor ms (this window) | × floor | Generator CPU ms/sign-in | Other processes, cores |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.signIn.map(
      (p) =>
        `| ${count(p.poolSize)} | ${count(p.signIns)} | ${fmt(p.signInsPerSecond, 1)} | ${fmt(p.latencyMs.p50, 1)} | ${fmt(p.latencyMs.p99, 1)} | ` +
        `${fmt(p.httpLatencyMs.p50, 1)} / ${fmt(p.httpLatencyMs.p99, 1)} | ${fmt(p.serverCpuMsPerSignIn)} | ${fmt(p.floorMs, 3)} | ${fmt(p.ratioToFloor)} | ` +
        `${fmt(p.generatorCpuMsPerSignIn)} | ${fmt(p.otherProcessesCores)} |`,
    ),
  ];
  const notes = [
    `- Pool-size target: 100k users within 20 % of 1k. This run compares ${r.signIn.map((p) => count(p.poolSize)).join(' and ')} users` +
      (r.options.users < 100_000 ? ` (run \`npm run bench -- --users 100000\` for the stated sizes; it is slow).` : '.'),
    `- Server CPU: utime + stime of the server process from /proc/<pid>/stat (${r.machine.clockTicksPerSecond} ticks/s), read when the ` +
      `${r.options.seconds} s window opens and closes, divided by the sign-ins completed in it. The server was idle (dev outbox drained) before each window.`,
    `- Crypto floor: g^b, v^u, (A·v^u)^b, HKDF, claim HMAC and two RS256 signatures, ${r.floor.runs[0]?.iterations ?? 0} times (5 batches, median) in the bench process ` +
      `(process.cpuUsage); measured before the run and right after each window (${r.floor.runs.map((f) => fmt(f.msPerSignIn, 3)).join(', ')} ms). ` +
      'Each window is compared with the floor measured just after it, because this shared VM speeds up and slows down over minutes ' +
      '(the load generator, whose work per sign-in never changes, shows the same drift).',
    `- Load: one SRP sign-in = InitiateAuth USER_SRP_AUTH + RespondToAuthChallenge PASSWORD_VERIFIER from a separate process ` +
      `(plain fetch, client math from src/crypto/srp.ts with a 256-bit a), ${r.options.concurrency} in flight, random users, after a ${r.options.warmupSeconds} s warm-up ` +
      `(${r.options.warmupSeconds + r.options.serverWarmupSeconds} s before the first window, so that the server's JIT has settled). ` +
      `The generator shares the ${r.machine.cores} cores with the server, so sign-ins/s and latencies are those of this machine, not of the server alone.`,
    `- "Other processes" is CPU of the whole machine (/proc/stat) minus the server and the generator during the window: work of anyone else. ` +
      `Well above 0 means a shared, noisy machine; server CPU per sign-in then tends to rise (fewer requests per event-loop turn, caches shared).`,
    `- AdminConfirmSignUp (AWS SDK v3, SigV4): ${fmt(r.confirm.perSecond, 0)}/s; server CPU per SignUp ${fmt(r.signUp.serverCpuMsPerCall)} ms, per AdminConfirmSignUp ${fmt(r.confirm.serverCpuMsPerCall)} ms.`,
    `- Server warnings logged during the run: ${r.server.warnings.length}.`,
  ];
  for (const p of r.signIn) {
    if (p.otherProcessesCores > NOISY_CORES) {
      notes.push(`- **Noisy window**: other processes used ${fmt(p.otherProcessesCores)} cores during the ${count(p.poolSize)}-user window; its CPU per sign-in is likely inflated (re-run on a quieter machine before trusting ratios).`);
    }
  }
  for (const p of r.signIn) if (p.errorSamples.length) notes.push(`- Errors at ${count(p.poolSize)} users, e.g.: ${p.errorSamples.map((e) => `\`${e}\``).join('; ')}`);
  return [
    `# Sign-in benchmark, ${r.date}`,
    '',
    `- Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.os}, Node ${r.machine.node}`,
    `- Command: \`${r.command}\``,
    `- Run: ${r.startedAt} to ${r.finishedAt}; server: \`node --import tsx src/main.ts\`, fresh SQLite file, log level warn, demo pool (email as username)`,
    `- Overall: ${passed ? 'all targets met' : 'some targets missed'}`,
    '',
    ...rows,
    '',
    `Crypto floor: ${r.signIn.map((p) => `${fmt(p.floorMs, 3)} ms (at ${count(p.poolSize)} users)`).join(', ')} CPU per sign-in, measured right after each window.`,
    '',
    ...phases,
    '',
    `![Server CPU ms per sign-in against the crypto floor](${svgName})`,
    '',
    '## Notes',
    '',
    ...notes,
    '',
  ].join('\n');
}

const escapeXml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Grouped bars: server CPU ms per sign-in and the crypto floor at each pool size, the 1.5 × floor target dashed. */
function costChart(r: BenchResult): string {
  const width = 680;
  const height = 300;
  const left = 56;
  const bottom = 250;
  const top = 40;
  const max = Math.max(...r.signIn.map((p) => Math.max(p.serverCpuMsPerSignIn, p.floorMs * TARGET_RATIO_TO_FLOOR))) * 1.15;
  const y = (v: number) => bottom - ((bottom - top) * v) / max;
  const groupWidth = (width - left - 20) / Math.max(r.signIn.length, 1);
  const bar = Math.min(70, groupWidth / 3);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">Server CPU ms per sign-in vs crypto floor (${escapeXml(r.date)})</text>`,
    `<line x1="${left}" y1="${bottom}" x2="${width - 10}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#333"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    parts.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${v.toFixed(1)}</text>`);
  }
  r.signIn.forEach((p, i) => {
    const cx = left + groupWidth * (i + 0.5);
    const bars = [
      { v: p.serverCpuMsPerSignIn, x: cx - bar - 3, fill: '#2f6db5' },
      { v: p.floorMs, x: cx + 3, fill: '#9aa5b1' },
    ];
    const t = y(p.floorMs * TARGET_RATIO_TO_FLOOR).toFixed(1);
    parts.push(`<line x1="${(cx - bar - 8).toFixed(1)}" y1="${t}" x2="${(cx + bar + 8).toFixed(1)}" y2="${t}" stroke="#c00" stroke-dasharray="4 3"/>`);
    for (const b of bars) {
      parts.push(
        `<rect x="${b.x.toFixed(1)}" y="${y(b.v).toFixed(1)}" width="${bar.toFixed(1)}" height="${(bottom - y(b.v)).toFixed(1)}" fill="${b.fill}"/>`,
        `<text x="${(b.x + bar / 2).toFixed(1)}" y="${(y(b.v) - 4).toFixed(1)}" text-anchor="middle">${b.v.toFixed(2)}</text>`,
      );
    }
    parts.push(`<text x="${cx.toFixed(1)}" y="${bottom + 18}" text-anchor="middle">${count(p.poolSize)} users</text>`);
  });
  parts.push(
    `<rect x="${left + 10}" y="${bottom + 30}" width="12" height="12" fill="#2f6db5"/><text x="${left + 28}" y="${bottom + 40}">server CPU ms / sign-in</text>`,
    `<rect x="${left + 180}" y="${bottom + 30}" width="12" height="12" fill="#9aa5b1"/><text x="${left + 198}" y="${bottom + 40}">crypto floor ms (same minute)</text>`,
    `<line x1="${left + 410}" y1="${bottom + 36}" x2="${left + 430}" y2="${bottom + 36}" stroke="#c00" stroke-dasharray="4 3"/><text x="${left + 436}" y="${bottom + 40}">target ${TARGET_RATIO_TO_FLOOR} × floor</text>`,
    `<text x="14" y="${(top + bottom) / 2}" transform="rotate(-90 14 ${(top + bottom) / 2})" text-anchor="middle" fill="#555">ms CPU</text>`,
    '</svg>',
    '',
  );
  return parts.join('\n');
}

/** Writes <date>.json, <date>.md and <date>-cost.svg into `dir`; returns their paths. */
export function writeReport(dir: string, r: BenchResult): string[] {
  mkdirSync(dir, { recursive: true });
  const svgName = `${r.date}-cost.svg`;
  const files = { json: join(dir, `${r.date}.json`), md: join(dir, `${r.date}.md`), svg: join(dir, svgName) };
  writeFileSync(files.json, `${JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' ? round(v, 3) : v), 2)}\n`);
  writeFileSync(files.md, markdown(r, svgName));
  writeFileSync(files.svg, costChart(r));
  return Object.values(files);
}

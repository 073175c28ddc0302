import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time from /proc, so that the benchmark can tell apart what each part of a setup used: the server
 * (all its processes), PostgreSQL, nginx, the load generator and everyone else on the machine.
 */

/** Clock ticks per second of /proc/<pid>/stat (usually 100). */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Stat {
  ppid: number;
  /** utime + stime, ticks. */
  own: number;
  /** cutime + cstime: children that have exited and been waited for, ticks. */
  reaped: number;
}

/** Fields of /proc/<pid>/stat; `comm` may hold spaces, so split after its closing parenthesis. Undefined once the process is gone. */
function stat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // f[0] is field 3 (state), so field n is f[n - 3].
  const n = (field: number) => Number(f[field - 3]);
  return { ppid: n(4), own: n(14) + n(15), reaped: n(16) + n(17) };
}

/** utime + stime (all threads) of one process, in ms (0 once it is gone). */
export function processCpuMs(pid: number): number {
  return ((stat(pid)?.own ?? 0) * 1000) / CLOCK_TICKS;
}

/**
 * CPU (ms) of a process and all its descendants alive now, plus the children it has reaped (a cluster
 * worker that died and was waited for). Scans /proc once: a few hundred small reads.
 */
export function treeCpuMs(roots: readonly number[]): number {
  const all = new Map<number, Stat>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (s) all.set(pid, s);
  }
  const children = new Map<number, number[]>();
  for (const [pid, s] of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  let ticks = 0;
  const seen = new Set<number>();
  const visit = (pid: number, root: boolean) => {
    if (seen.has(pid)) return;
    seen.add(pid);
    const s = all.get(pid);
    if (!s) return;
    // A reaped child's time is in its parent's cutime; only the roots' count, deeper ones would repeat it.
    ticks += s.own + (root ? s.reaped : 0);
    for (const child of children.get(pid) ?? []) visit(child, false);
  };
  for (const root of roots) visit(root, true);
  return (ticks * 1000) / CLOCK_TICKS;
}

/** Pids of a process and its descendants alive now. */
export function processTree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (s) parent.set(pid, s.ppid);
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) for (const [pid, ppid] of parent) if (ppid === found[i]) found.push(pid);
  return found.filter((pid) => parent.has(pid));
}

/** CPU (ms) of this process's children that have exited and been waited for (cutime + cstime of /proc/self/stat). */
export function reapedChildrenCpuMs(): number {
  return (((stat(process.pid)?.reaped ?? 0) * 1000) / CLOCK_TICKS);
}

/** CPU time, in ms, that every process on the machine has used (user, nice, system, irq, softirq of /proc/stat). */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + irq + softirq) * 1000) / CLOCK_TICKS;
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): [number, number, number] {
  const [a = 0, b = 0, c = 0] = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  return [a, b, c];
}

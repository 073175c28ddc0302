import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Every process the benchmark starts (servers, nginx, load generators) from its spawn until it exits,
 * so that an interrupted run stops them all, even one that was still starting.
 */
const live = new Set<ChildProcess>();

export function track<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGTERM (a graceful close; a cluster primary stops its workers), then SIGKILL if it has not exited within `graceMs`. */
export async function kill(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

export async function killAll(): Promise<void> {
  await Promise.all([...live].map((c) => kill(c, 5000)));
}

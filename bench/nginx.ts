import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { kill, track } from './children.js';
import { NGINX, nginxConfig } from '../test/helpers/nginx-config.js';
import { treeCpuMs } from './proc-cpu.js';

/**
 * nginx in front of several Cognate instances (the configuration of test/helpers/nginx-config.ts, shared
 * with the multi-instance test), with its CPU time for the report.
 */
export interface Nginx {
  url: string;
  /** CPU (ms) of the master and worker so far. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export async function startNginx(port: number, upstreams: string[]): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-bench-nginx-'));
  const conf = nginxConfig({ dir, port, upstreams, keepalive: 64 });
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = track(spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log')], { stdio: 'ignore' }));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await kill(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const until = Date.now() + 10_000;
  for (;;) {
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
    if (Date.now() > until || child.exitCode !== null) {
      const log = readFileSync(join(dir, 'error.log'), 'utf8');
      await stop();
      throw new Error(`nginx did not start:\n${log}`);
    }
    await sleep(100);
  }
  return { url, cpuMs: () => treeCpuMs([child.pid!]), stop };
}

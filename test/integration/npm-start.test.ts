import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'cognate-start-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm start` the way the README says, until it has printed its banner. */
function npmStart(): Promise<{ child: ChildProcess; out: string }> {
  const child = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, COGNATE_PORT: '0', COGNATE_DATABASE_URL: `sqlite:${join(dir, 'cognate.db')}`, COGNATE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in 30 s:\n${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Admin (SigV4) access key id')) {
        clearTimeout(timer);
        setTimeout(() => resolve({ child, out }), 200);
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGTERM');
  });

describe('npm start on a fresh database', () => {
  let first: string;

  it('migrates, creates the demo pool and client and the console pool, prints the URLs, config.js and admin credentials, and answers /health', async () => {
    const { child, out } = await npmStart();
    first = out;
    const url = /Cognate is running at (http:\/\/\S+?)\/\s/.exec(out)?.[1];
    expect(url).toBeDefined();
    expect(out).toMatch(/Demo pool \(WildRydes\)\s+us-east-1_[0-9A-Za-z]{9}/);
    expect(out).toMatch(/userPoolClientId: '[a-z0-9]{26}'/);
    expect(out).toContain(`endpoint: '${url}/'`);
    expect(out).toMatch(/Admin secret access key \(generated now, shown once[^)]*\): \S{40}/);
    // The admin console's first administrator, with a generated password shown this once.
    const consoleLine = new RegExp(`Console: ${url!.replace(/[.]/g, '\\.')}/console  user: admin  password: (\\S{20})  \\(shown once\\)`).exec(out);
    expect(consoleLine, out).not.toBeNull();
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const poolId = /Demo pool \(WildRydes\)\s+(\S+)/.exec(out)![1];
    const jwks = (await (await fetch(`${url}/${poolId}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(2);
    await stop(child);
  });

  it('keeps the demo and console pools and prints no secret or password again on the next start', async () => {
    const { child, out } = await npmStart();
    const poolOf = (s: string) => /Demo pool \(WildRydes\)\s+(\S+)/.exec(s)?.[1];
    expect(poolOf(out)).toBe(poolOf(first));
    expect(out).not.toContain('Admin secret access key');
    expect(out).toMatch(/Console: http:\/\/\S+\/console  user: admin\n/);
    expect(out).not.toContain('(shown once)');
    expect(out).toContain('admin-credentials');
    await stop(child);
  });
});

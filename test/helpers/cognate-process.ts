import { spawn, type ChildProcess } from 'node:child_process';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Children still running; killed if the test process exits first (a timed-out test never reaches its cleanup). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Where a started server answers, read from its banner. */
export interface Endpoint {
  url: string;
  poolId: string;
  clientId: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A real `node bin/cognate.js serve` process, spawned warm (see warm-start.ts): its modules load now,
 * and `start()` lets it open the database and listen. `kill()` is kill -9; `stop()` is SIGTERM.
 */
export class CognateProcess {
  readonly exited: Promise<Exit>;
  /** Resolves when the modules are loaded and the process waits for `start()`. */
  readonly warmed: Promise<void>;
  private readonly child: ChildProcess;
  private out = '';
  private killedByTest = false;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', '--import', './test/helpers/warm-start.ts', 'bin/cognate.js', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, COGNATE_PORT: '0', COGNATE_HOST: '127.0.0.1', COGNATE_PUBLIC_URL: '', COGNATE_LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.out += d.toString()));
    running.add(this.child);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        running.delete(this.child);
        resolve({ code, signal });
      }),
    );
    this.warmed = this.until(() => this.out.includes('warm\n'), 'its modules to load', 120_000);
    // A spare that is never started may die unwarmed at cleanup; whoever awaits `warmed` still sees the error.
    this.warmed.catch(() => {});
  }

  /** Everything it wrote (the tail, for failure messages). */
  output(tail = 4000): string {
    return this.out.slice(-tail);
  }

  /** Whether it exited without being told to (a crash the test did not cause). */
  get crashedOnItsOwn(): boolean {
    return !this.killedByTest && (this.child.exitCode !== null || this.child.signalCode !== null);
  }

  /** Lets it open the database and listen; resolves once /health answers 200. */
  async start(timeoutMs = 30_000): Promise<Endpoint> {
    await this.warmed;
    this.child.stdin!.write('go\n');
    await this.until(() => this.out.includes('Admin (SigV4) access key id'), 'the banner', timeoutMs);
    const url = /Cognate is running at (http:\/\/127\.0\.0\.1:\d+)\//.exec(this.out)?.[1];
    const poolId = /Demo pool \(WildRydes\)\s+(\S+)/.exec(this.out)?.[1];
    const clientId = /Demo app client\s+(\S+)/.exec(this.out)?.[1];
    if (!url || !poolId || !clientId) throw new Error(`cannot read the banner:\n${this.output()}`);
    const until = Date.now() + timeoutMs;
    while ((await fetch(`${url}/health`).then((r) => r.status, () => 0)) !== 200) {
      if (Date.now() > until) throw new Error(`/health did not answer 200:\n${this.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { url, poolId, clientId };
  }

  /** kill -9, and wait until it is gone. */
  async kill(): Promise<Exit> {
    this.killedByTest = true;
    this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM (a clean shutdown), and wait until it is gone. */
  async stop(): Promise<Exit> {
    this.killedByTest = true;
    this.child.kill('SIGTERM');
    return this.exited;
  }

  private until(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done()) return finish(resolve);
        if (this.child.exitCode !== null || this.child.signalCode !== null) finish(() => reject(new Error(`server exited before ${what}:\n${this.output()}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${what}:\n${this.output()}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.child.stdout!.off('data', check);
        this.child.off('exit', check);
        settle();
      };
      this.child.stdout!.on('data', check);
      this.child.on('exit', check);
      check();
    });
  }
}

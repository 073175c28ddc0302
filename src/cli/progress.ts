import { Presets, SingleBar } from 'cli-progress';

/**
 * Progress of a bulk command on stderr (stdout may carry its data): a bar with rows done / total,
 * rows per second and the time left when stderr is a terminal; otherwise (a log, CI) a plain line
 * every 2 s. Rates count this run's rows only (a resumed import starts where the last one stopped).
 */
export class Progress {
  private readonly tty = process.stderr.isTTY === true;
  private bar: SingleBar | undefined;
  private started = 0;
  private first = 0;
  private lastLine = 0;

  constructor(private readonly label: string) {}

  start(total: number, done = 0): void {
    this.started = performance.now();
    this.first = done;
    this.lastLine = this.started;
    if (!this.tty) return;
    this.bar = new SingleBar(
      {
        stream: process.stderr, hideCursor: true, etaBuffer: 20, fps: 5,
        format: `${this.label} [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}`,
      },
      Presets.shades_classic,
    );
    this.bar.start(total, done, { rate: 0 });
  }

  update(done: number, total: number): void {
    const now = performance.now();
    const rate = Math.round(((done - this.first) * 1000) / Math.max(now - this.started, 1));
    if (this.bar) {
      this.bar.setTotal(total);
      this.bar.update(done, { rate });
      return;
    }
    if (now - this.lastLine < 2000) return;
    this.lastLine = now;
    const left = rate > 0 ? `, ETA ${Math.ceil((total - done) / rate)} s` : '';
    process.stderr.write(`${this.label}: ${done}/${total} rows (${Math.floor((done * 100) / Math.max(total, 1))}%), ${rate} rows/s${left}\n`);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

import nodemailer, { type Transporter } from 'nodemailer';
import type { Log } from '../domain/deps.js';
import type { Store } from '../store/store.js';
import type { Mailer } from './mailer.js';

const BATCH = 20;
const POLL_MS = 1000;
const MAX_BACKOFF_MS = 5 * 60_000;
/** How long a claimed message is reserved for this sender before another may take it (the SMTP timeouts below are shorter). */
const LEASE_MS = 2 * 60_000;
/**
 * A pass starts this long after a message is queued, not at once: so that delivering it does not compete
 * with the rest of the request that queued it, whose answer and time must not show whether a mail went
 * out (PreventUserExistenceErrors: ForgotPassword for a known user mails, for an unknown one it does not).
 */
const AFTER_ENQUEUE_MS = 20;

/**
 * Delivers queued mail: over SMTP when COGNATE_SMTP_URL is set, else into the dev outbox (the message
 * stays in the table, is logged, and GET /_dev/outbox shows it). Failures are retried with exponential
 * back-off; a slow or down SMTP server never blocks the request that queued the mail.
 */
export class OutboxSender {
  private readonly transport: Transporter | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly mailer: Mailer,
    smtpUrl: string | undefined,
    private readonly now: () => number,
    private readonly log: Log,
  ) {
    // Every SMTP wait ends well within the claim's lease (nodemailer's defaults allow 10 minutes of silence),
    // so a slow server cannot make a message due again, and sent twice, while this sender still works on it.
    this.transport = smtpUrl
      ? nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 } as Parameters<typeof nodemailer.createTransport>[0])
      : undefined;
    mailer.onEnqueue(() => setTimeout(() => this.kick(), AFTER_ENQUEUE_MS).unref());
  }

  get mode(): 'smtp' | 'dev-outbox' {
    return this.transport ? 'smtp' : 'dev-outbox';
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  /** Runs a delivery pass soon (coalesced). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => {
        await this.deliverDue();
      })
      .catch((err) => this.log.error({ err }, 'outbox pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Delivers everything due now; returns how many were delivered. */
  async deliverDue(): Promise<number> {
    let delivered = 0;
    for (const row of await this.store.outbox.claim(this.now(), this.now() + LEASE_MS, BATCH)) {
      const message = this.mailer.open(row.sealed);
      if (!message) {
        await this.store.outbox.markFailed(row.id, 'cannot open sealed message', Number.MAX_SAFE_INTEGER);
        continue;
      }
      try {
        if (this.transport) {
          const { from, to, replyTo, subject, text, html, headers } = message;
          await this.transport.sendMail({ from, to, replyTo, subject, text, html, headers });
          this.log.info({ outboxId: row.id, to: row.recipient }, 'mail sent');
        } else {
          this.log.info({ outboxId: row.id, to: row.recipient, subject: message.subject }, 'mail kept in the dev outbox (GET /_dev/outbox)');
        }
        await this.store.outbox.markSent(row.id, this.now());
        delivered++;
      } catch (err) {
        const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** row.attempts);
        await this.store.outbox.markFailed(row.id, err instanceof Error ? err.message : String(err), this.now() + backoff);
        this.log.warn({ outboxId: row.id, attempts: row.attempts + 1, retryInMs: backoff, err: err instanceof Error ? err.message : String(err) }, 'mail delivery failed; will retry');
      }
    }
    if (delivered === BATCH) this.again = true;
    return delivered;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.transport?.close();
  }
}

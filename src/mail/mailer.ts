import type { Sealer } from '../crypto/seal.js';
import { uuid } from '../crypto/random.js';
import type { Store } from '../store/store.js';

export interface MailMessage {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
}

export interface VerificationMail {
  poolId: string;
  to: string;
  code: string;
  username: string;
  subject?: string;
  /** A template with {####} (and optionally {username}). */
  template?: string;
}

const DEFAULT_SUBJECT = 'Your verification code';
const DEFAULT_TEMPLATE = 'Your verification code is {####}';
const OUTBOX_PURPOSE = 'outbox-message';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The domain mailer: one method per kind of message. It never talks SMTP itself: it queues the
 * message, sealed, in the outbox of the transaction it is given (so the mail exists if and only if
 * the change that causes it commits), and the OutboxSender delivers it.
 */
export class Mailer {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly sealer: Sealer, private readonly from: string, private readonly now: () => number) {}

  async sendVerificationCode(tx: Store, mail: VerificationMail): Promise<void> {
    const fill = (t: string) => t.replaceAll('{####}', mail.code).replaceAll('{username}', mail.username);
    const text = fill(mail.template ?? DEFAULT_TEMPLATE);
    const html = `<!doctype html><html><body><p>${escapeHtml(mail.template ?? DEFAULT_TEMPLATE)
      .replaceAll('{####}', `<strong>${mail.code}</strong>`)
      .replaceAll('{username}', escapeHtml(mail.username))}</p></body></html>`;
    await this.enqueue(tx, mail.poolId, { to: mail.to, from: this.from, subject: mail.subject ?? DEFAULT_SUBJECT, text, html });
  }

  private async enqueue(tx: Store, poolId: string, message: MailMessage): Promise<void> {
    const now = this.now();
    await tx.outbox.enqueue({
      id: uuid(), poolId, recipient: message.to, sealed: this.sealer.seal(JSON.stringify(message), OUTBOX_PURPOSE),
      createdAt: now, attempts: 0, nextAttemptAt: now, sentAt: null, lastError: null,
    });
    for (const l of this.listeners) l();
  }

  open(sealed: string): MailMessage | undefined {
    const raw = this.sealer.open(sealed, OUTBOX_PURPOSE);
    return raw && (JSON.parse(raw.toString('utf8')) as MailMessage);
  }

  /** Called after each enqueue (the sender wakes up; it re-reads the outbox, so an uncommitted row just waits). */
  onEnqueue(listener: () => void): void {
    this.listeners.add(listener);
  }
}

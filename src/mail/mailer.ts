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

export interface PasswordResetMail {
  poolId: string;
  to: string;
  code: string;
}

export interface InvitationMail {
  poolId: string;
  to: string;
  /** The name the user signs in with. */
  username: string;
  temporaryPassword: string;
  /** The pool's AdminCreateUserConfig.InviteMessageTemplate, when set. */
  subject?: string;
  /** A template with {username} and {####} (the temporary password). */
  template?: string;
}

const DEFAULT_SUBJECT = 'Your verification code';
const DEFAULT_TEMPLATE = 'Your verification code is {####}';
const RESET_SUBJECT = 'Your password reset code';
const RESET_TEMPLATE = 'Your password reset code is {####}. Enter it with a new password within 1 hour to sign in again.';
const INVITATION_SUBJECT = 'Your temporary password';
const INVITATION_TEMPLATE = 'Your username is {username} and temporary password is {####}.';
const OUTBOX_PURPOSE = 'outbox-message';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A message template with {####} (and optionally {username}) as text and as HTML, the code in bold. */
function fillCodeTemplate(template: string, code: string, username: string): { text: string; html: string } {
  const text = template.replaceAll('{####}', code).replaceAll('{username}', username);
  const html = `<!doctype html><html><body><p>${escapeHtml(template)
    .replaceAll('{####}', `<strong>${code}</strong>`)
    .replaceAll('{username}', escapeHtml(username))}</p></body></html>`;
  return { text, html };
}

/**
 * The domain mailer: one method per kind of message. It never talks SMTP itself: it queues the
 * message, sealed, in the outbox of the transaction it is given (so the mail exists if and only if
 * the change that causes it commits), and the OutboxSender delivers it.
 */
export class Mailer {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly sealer: Sealer, private readonly from: string, private readonly now: () => number) {}

  async sendVerificationCode(tx: Store, mail: VerificationMail): Promise<void> {
    const { text, html } = fillCodeTemplate(mail.template ?? DEFAULT_TEMPLATE, mail.code, mail.username);
    await this.enqueue(tx, mail.poolId, { to: mail.to, from: this.from, subject: mail.subject ?? DEFAULT_SUBJECT, text, html });
  }

  /** The code of ForgotPassword / AdminResetUserPassword, to be entered with a new password (ConfirmForgotPassword). */
  async sendPasswordResetCode(tx: Store, mail: PasswordResetMail): Promise<void> {
    const { text, html } = fillCodeTemplate(RESET_TEMPLATE, mail.code, '');
    await this.enqueue(tx, mail.poolId, { to: mail.to, from: this.from, subject: RESET_SUBJECT, text, html });
  }

  /** AdminCreateUser's invitation: the username and the temporary password (any characters, so escaped in HTML). */
  async sendInvitation(tx: Store, mail: InvitationMail): Promise<void> {
    const template = mail.template ?? INVITATION_TEMPLATE;
    // One pass, so a password or name that contains a placeholder is left as it is.
    const fill = (t: string, password: string, username: string) => t.replace(/\{####\}|\{username\}/g, (m) => (m === '{####}' ? password : username));
    const text = fill(template, mail.temporaryPassword, mail.username);
    const html = `<!doctype html><html><body><p>${fill(escapeHtml(template), `<strong>${escapeHtml(mail.temporaryPassword)}</strong>`, escapeHtml(mail.username))}</p></body></html>`;
    await this.enqueue(tx, mail.poolId, { to: mail.to, from: this.from, subject: mail.subject ?? INVITATION_SUBJECT, text, html });
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

import type { Sealer } from '../crypto/seal.js';
import { uuid } from '../crypto/random.js';
import { DEFAULT_MESSAGES, type EmailSending } from '../domain/settings.js';
import type { PoolRecord, Store } from '../store/store.js';
import { renderMessage, subjectLine, type Placeholder } from './render-message.js';

/** One mail as it waits, sealed, in the outbox (fields added later are optional: older rows lack them). */
export interface MailMessage {
  to: string;
  from: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

/** A one-time code for the user at `to`, worded with the pool's templates. */
export interface CodeMail {
  pool: PoolRecord;
  to: string;
  code: string;
}

export interface InvitationMail {
  pool: PoolRecord;
  to: string;
  /** The name the user signs in with ({username}). */
  username: string;
  /** Any characters ({####}), so escaped in HTML. */
  temporaryPassword: string;
}

const OUTBOX_PURPOSE = 'outbox-message';
/** RFC 3834: mail a program sent, so autoresponders stay quiet. */
const HEADERS = { 'Auto-Submitted': 'auto-generated' };

/** A code mail's subject and template: the pool's verification wording, or until it has one the default for the kind. */
function codeWording(kind: 'verification' | 'reset', pool: PoolRecord): { subject: string; template: string } {
  const v = pool.settings.messages.verification;
  return kind === 'verification'
    ? { subject: v.emailSubject ?? DEFAULT_MESSAGES.verificationSubject, template: v.emailMessage ?? DEFAULT_MESSAGES.verificationMessage }
    : { subject: v.emailSubject ?? DEFAULT_MESSAGES.resetSubject, template: v.emailMessage ?? DEFAULT_MESSAGES.resetMessage };
}

/** The address an SES identity ARN names (…:identity/a@b), if it names one rather than a domain. */
const identityAddress = (arn: string | undefined) => (arn ? /:identity\/([^/\s]+@[^/\s]+)$/.exec(arn)?.[1] : undefined);

/**
 * The domain mailer: one method per kind of message, each worded with the pool's templates and sent
 * from the pool's address. It never talks SMTP itself: it queues the message, sealed (it holds a
 * code), in the outbox of the transaction it is given — so the mail exists if and only if the change
 * that causes it commits — and the OutboxSender delivers it.
 */
export class Mailer {
  private readonly listeners = new Set<() => void>();

  /** `from`: the server's address (COGNATE_MAIL_FROM), for pools that name none. */
  constructor(private readonly sealer: Sealer, private readonly from: string, private readonly now: () => number) {}

  /** Sign-up, resend and attribute-verification codes: the pool's verification template ({####} only). */
  async sendVerificationCode(tx: Store, mail: CodeMail): Promise<void> {
    const { subject, template } = codeWording('verification', mail.pool);
    await this.enqueue(tx, mail.pool, mail.to, subject, template, [{ token: '{####}', value: mail.code, emphasise: true }]);
  }

  /**
   * ForgotPassword / AdminResetUserPassword codes. Cognito words these with the verification
   * template once the pool customises it; until then with its own reset wording.
   */
  async sendPasswordResetCode(tx: Store, mail: CodeMail): Promise<void> {
    const { subject, template } = codeWording('reset', mail.pool);
    await this.enqueue(tx, mail.pool, mail.to, subject, template, [{ token: '{####}', value: mail.code, emphasise: true }]);
  }

  /**
   * The work of a code mail — worded and sealed as the two methods above do — without queuing it: what a
   * request for a name that matches nobody does instead (PreventUserExistenceErrors), so that its time
   * does not tell that no mail went out.
   */
  rehearseCodeMail(kind: 'verification' | 'reset', mail: CodeMail): void {
    const { subject, template } = codeWording(kind, mail.pool);
    this.compose(mail.pool, mail.to, subject, template, [{ token: '{####}', value: mail.code, emphasise: true }]);
  }

  /** AdminCreateUser's invitation: {username} and the temporary password as {####}. */
  async sendInvitation(tx: Store, mail: InvitationMail): Promise<void> {
    const t = mail.pool.settings.messages.invitation;
    const subject = t.emailSubject ?? DEFAULT_MESSAGES.invitationSubject;
    const template = t.emailMessage ?? DEFAULT_MESSAGES.invitationMessage;
    await this.enqueue(tx, mail.pool, mail.to, subject, template, [
      { token: '{username}', value: mail.username },
      { token: '{####}', value: mail.temporaryPassword, emphasise: true },
    ]);
  }

  /** The pool's From (EmailConfiguration.From, else the address its SourceArn names, else the server's) and Reply-To. */
  private sender(sending: EmailSending): { from: string; replyTo?: string } {
    const from = sending.from ?? identityAddress(sending.sourceArn) ?? this.from;
    return sending.replyTo ? { from, replyTo: sending.replyTo } : { from };
  }

  /** The message, rendered and sealed for the outbox. */
  private compose(pool: PoolRecord, to: string, rawSubject: string, template: string, placeholders: Placeholder[]): string {
    const subject = subjectLine(rawSubject);
    const message: MailMessage = {
      to, ...this.sender(pool.settings.emailSending), subject, ...renderMessage(template, subject, placeholders), headers: HEADERS,
    };
    return this.sealer.seal(JSON.stringify(message), OUTBOX_PURPOSE);
  }

  private async enqueue(tx: Store, pool: PoolRecord, to: string, rawSubject: string, template: string, placeholders: Placeholder[]): Promise<void> {
    const sealed = this.compose(pool, to, rawSubject, template, placeholders);
    const now = this.now();
    await tx.outbox.enqueue({
      id: uuid(), poolId: pool.id, recipient: to, sealed,
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

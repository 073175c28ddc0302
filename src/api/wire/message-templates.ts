import { InvalidParameterException } from '../../errors/catalog.js';
import { DEFAULT_MESSAGES, type EmailSending, type MessageTemplates } from '../../domain/settings.js';

/**
 * The mail settings of CreateUserPool / UpdateUserPool and DescribeUserPool: the verification
 * template (VerificationMessageTemplate, kept in step with the older EmailVerificationMessage,
 * EmailVerificationSubject and SmsVerificationMessage — the template wins when a request sends
 * both), the invitation template (AdminCreateUserConfig.InviteMessageTemplate) and the sender
 * (EmailConfiguration). Lengths, {####} in verification messages and {##…##} in link messages are
 * the model's rules, checked before a handler runs; what the model cannot say is checked here.
 */
export interface WireMessageInput {
  EmailVerificationSubject?: string;
  EmailVerificationMessage?: string;
  SmsVerificationMessage?: string;
  VerificationMessageTemplate?: {
    EmailSubject?: string;
    EmailMessage?: string;
    SmsMessage?: string;
    EmailSubjectByLink?: string;
    EmailMessageByLink?: string;
    DefaultEmailOption?: 'CONFIRM_WITH_CODE' | 'CONFIRM_WITH_LINK';
  };
  AdminCreateUserConfig?: { InviteMessageTemplate?: { EmailSubject?: string; EmailMessage?: string; SMSMessage?: string } };
  EmailConfiguration?: {
    EmailSendingAccount?: 'COGNITO_DEFAULT' | 'DEVELOPER';
    From?: string;
    ReplyToEmailAddress?: string;
    SourceArn?: string;
    ConfigurationSet?: string;
  };
}

/** The request fields this file reads (the pool's passthrough keeps none of them). */
export const MESSAGE_FIELDS = ['EmailVerificationSubject', 'EmailVerificationMessage', 'SmsVerificationMessage', 'VerificationMessageTemplate', 'EmailConfiguration'];

/** Cognito's answer to a template it refuses. */
const INVALID = 'The message is invalid.';
/** "a@b.c" or "Name <a@b.c>", as SES takes a From. */
const FROM = /^(?:[^<>@]*<[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)$/;

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** A link message needs link text: the model's pattern lets "{####}" pass as an empty {##…##}, Cognito does not. */
function checkLink(message: string | undefined): void {
  if (message !== undefined && !/\{##(?!#*\})[^]*?##\}/.test(message)) throw new InvalidParameterException(INVALID);
}

/** The invitation must carry both the username and the temporary password (Cognito's rule, email and SMS alike). */
function checkInvitation(message: string | undefined): void {
  if (message !== undefined && !(message.includes('{username}') && message.includes('{####}'))) throw new InvalidParameterException(INVALID);
}

export function messageTemplatesFromWire(input: WireMessageInput): MessageTemplates {
  const t = input.VerificationMessageTemplate ?? {};
  const invite = input.AdminCreateUserConfig?.InviteMessageTemplate ?? {};
  checkLink(t.EmailMessageByLink);
  checkInvitation(invite.EmailMessage);
  checkInvitation(invite.SMSMessage);
  return {
    verification: defined({
      emailSubject: t.EmailSubject ?? input.EmailVerificationSubject,
      emailMessage: t.EmailMessage ?? input.EmailVerificationMessage,
      smsMessage: t.SmsMessage ?? input.SmsVerificationMessage,
      defaultEmailOption: t.DefaultEmailOption ?? 'CONFIRM_WITH_CODE',
      emailSubjectByLink: t.EmailSubjectByLink,
      emailMessageByLink: t.EmailMessageByLink,
    }),
    invitation: defined({ emailSubject: invite.EmailSubject, emailMessage: invite.EmailMessage, smsMessage: invite.SMSMessage }),
  };
}

/**
 * EmailConfiguration. As on Cognito: a From needs EmailSendingAccount DEVELOPER, and DEVELOPER needs
 * the SES identity (SourceArn). Cognate has no SES: it keeps the ARN and sends through its SMTP server.
 */
export function emailSendingFromWire(input: WireMessageInput): EmailSending {
  const c = input.EmailConfiguration ?? {};
  const account = c.EmailSendingAccount ?? 'COGNITO_DEFAULT';
  if (c.From !== undefined) {
    if (account !== 'DEVELOPER') throw new InvalidParameterException('Cannot configure From email address for default email configuration');
    if (!FROM.test(c.From.trim())) throw new InvalidParameterException('Provided From email address is invalid');
  }
  if (account === 'DEVELOPER' && c.SourceArn === undefined) {
    throw new InvalidParameterException('SourceArn is required when EmailSendingAccount is DEVELOPER.');
  }
  return defined({ account, from: c.From?.trim(), replyTo: c.ReplyToEmailAddress, sourceArn: c.SourceArn, configurationSet: c.ConfigurationSet });
}

/** The mail fields of UserPoolType, as DescribeUserPool shows them (defaults where nothing was set). */
export function messagesToWire(messages: MessageTemplates, sending: EmailSending) {
  const v = messages.verification;
  const i = messages.invitation;
  const emailMessage = v.emailMessage ?? DEFAULT_MESSAGES.verificationMessage;
  const emailSubject = v.emailSubject ?? DEFAULT_MESSAGES.verificationSubject;
  const invite = defined({ EmailSubject: i.emailSubject, EmailMessage: i.emailMessage, SMSMessage: i.smsMessage });
  return {
    EmailVerificationMessage: emailMessage,
    EmailVerificationSubject: emailSubject,
    SmsVerificationMessage: v.smsMessage,
    VerificationMessageTemplate: defined({
      EmailMessage: emailMessage, EmailSubject: emailSubject, SmsMessage: v.smsMessage,
      EmailMessageByLink: v.emailMessageByLink, EmailSubjectByLink: v.emailSubjectByLink, DefaultEmailOption: v.defaultEmailOption,
    }),
    /** Merged into AdminCreateUserConfig by the caller. */
    InviteMessageTemplate: Object.keys(invite).length > 0 ? invite : undefined,
    EmailConfiguration: defined({
      EmailSendingAccount: sending.account, From: sending.from, ReplyToEmailAddress: sending.replyTo,
      SourceArn: sending.sourceArn, ConfigurationSet: sending.configurationSet,
    }),
  };
}

import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server in the test process that keeps every message it receives. */
export class SmtpSink {
  readonly messages: ParsedMail[] = [];
  private waiters: { match: (m: ParsedMail) => boolean; resolve: (m: ParsedMail) => void }[] = [];
  private server: SMTPServer;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.messages.push(mail);
            this.waiters = this.waiters.filter((w) => (w.match(mail) ? (w.resolve(mail), false) : true));
            callback();
          })
          .catch(callback);
      },
    });
    // A client that goes away mid-session (a server killed with -9) resets its connection: not the sink's error.
    this.server.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') throw err;
    });
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  /** The next (or an already received) message to this address. */
  waitFor(to: string, timeoutMs = 10_000, after = 0): Promise<ParsedMail> {
    const match = (m: ParsedMail) => JSON.stringify(m.to ?? '').toLowerCase().includes(to.toLowerCase());
    const seen = this.messages.slice(after).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no mail to ${to} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** The 6-digit code of the newest message to this address (waiting for one after `after` messages). */
  async codeFor(to: string, after = 0): Promise<string> {
    const mail = await this.waitFor(to, 10_000, after);
    const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
    if (!code) throw new Error(`no code in mail to ${to}: ${mail.text}`);
    return code;
  }

  count(to: string): number {
    return this.messages.filter((m) => JSON.stringify(m.to ?? '').toLowerCase().includes(to.toLowerCase())).length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

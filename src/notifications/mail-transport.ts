import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { APP_CONFIG, type AppConfig } from '../common/config/app-config';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per stored mail, so a receiving server can tell a repeat from a new mail. */
  messageId: string;
}

/**
 * The mail server, when SMTP_URL names one (nodemailer, one pooled connection per process); without it the
 * portal's mails stay in the outbox table.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly transporter: Transporter | null;
  private readonly domain: string;
  private readonly logger = new Logger('Mail');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transporter = config.smtpUrl ? createTransport(transportOptions(config.smtpUrl)) : null;
    this.domain = /@([^>\s]+)>?$/.exec(config.mailFrom)?.[1] ?? 'localhost';
    if (!this.transporter && config.nodeEnv === 'production') this.logger.warn('SMTP_URL is not set: mails are kept in the outbox (/admin/outbox) and not sent');
  }

  get configured(): boolean {
    return this.transporter !== null;
  }

  messageIdFor(mailId: string): string {
    return `<${mailId}@${this.domain}>`;
  }

  /** Hands the mail to the server; answers its message id. Throws when the server does not take it. */
  async send(mail: OutgoingMail): Promise<string> {
    if (!this.transporter) throw new Error('no mail server is configured (SMTP_URL)');
    const info = await this.transporter.sendMail({
      from: this.config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    if ((info.rejected ?? []).length > 0) throw new Error(`the mail server refused the recipient`);
    return info.messageId;
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}

/** The URL's server and login as nodemailer's options, with time limits so a hanging server fails the try. */
function transportOptions(smtpUrl: string): SMTPPool.Options {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return {
    pool: true,
    maxConnections: 2,
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}

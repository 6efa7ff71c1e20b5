import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PermanentJobError } from '../common/queue/job-queue';
import { MailOutboxStore } from './mail-outbox.store';
import { MailTransport } from './mail-transport';
import { MAIL_ATTEMPTS } from './notification-queue';

/** How long a sender holds a mail; a sender that died is taken over after this. */
export const MAIL_LEASE_SECONDS = 120;

/**
 * Sends one stored mail: claimed first (one sender at a time), handed to the mail server, marked sent. A
 * failure puts it back for the queue's next try (with backoff); after the last try it is marked failed, for
 * admin to see at /admin/outbox and send again.
 */
@Injectable()
export class MailSender {
  private readonly logger = new Logger('MailSender');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: MailOutboxStore,
    private readonly transport: MailTransport,
  ) {}

  /** Answers 'sent', or 'skipped' when the mail is sent already, being sent, or not to be sent. */
  async send(mailId: string, attempt: number): Promise<'sent' | 'skipped'> {
    const manager = this.dataSource.manager;
    const mail = await this.store.claim(manager, mailId, MAIL_LEASE_SECONDS);
    if (!mail) return 'skipped';
    try {
      const messageId = await this.transport.send({ to: mail.recipient, subject: mail.subject, text: mail.text, html: mail.html, messageId: this.transport.messageIdFor(mail.id) });
      await this.store.markSent(manager, mail.id, messageId);
      this.logger.log({ mailId, attempt }, 'mail sent');
      return 'sent';
    } catch (error) {
      const final = attempt >= MAIL_ATTEMPTS;
      const message = error instanceof Error ? error.message : String(error);
      await this.store.markUnsent(manager, mail.id, final ? 'failed' : 'pending', message);
      this.logger.warn({ mailId, attempt, final, err: error }, final ? 'mail failed for good' : 'mail not sent; tried again later');
      if (final) throw new PermanentJobError(`mail ${mailId} failed after ${attempt} tries: ${message}`);
      throw error;
    }
  }
}

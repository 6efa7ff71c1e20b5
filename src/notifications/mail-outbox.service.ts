import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../common/config/app-config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { DomainException } from '../common/errors/domain.exception';
import { NotificationsErrorCode } from './notifications.errors';
import { MailOutboxStore, type MailStatus, type OutboxRow } from './mail-outbox.store';
import { MailTransport } from './mail-transport';
import { NotificationQueue } from './notification-queue';

/** Admin's outbox: every mail with its state, and sending a failed one again. */
@Injectable()
export class MailOutboxService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: MailOutboxStore,
    private readonly transport: MailTransport,
    private readonly queue: NotificationQueue,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get sending(): boolean {
    return this.transport.configured;
  }

  /** Without a mail server, outside production (the demo), each user reads their own mails on their notification page. */
  get showsOwnMails(): boolean {
    return !this.transport.configured && this.config.nodeEnv !== 'production';
  }

  list(filter: { status: MailStatus | null; before: string | null; limit: number }): Promise<OutboxRow[]> {
    return this.store.list(this.dataSource.manager, filter);
  }

  /** A failed mail goes back to the queue for a new round of tries. */
  async retry(id: string, actor: Actor): Promise<void> {
    if (!this.transport.configured) throw DomainException.conflict('No mail server is configured (SMTP_URL): mails stay in the outbox');
    const attempts = await this.dataSource.transaction(async (manager) => {
      const tried = await this.store.retry(manager, id);
      if (tried === null) throw DomainException.conflict('Only a failed mail can be sent again', [{ field: 'id', rule: NotificationsErrorCode.MailNotFailed, message: 'the mail is not failed' }]);
      await this.audit.record(manager, actor, { action: 'mail.resent', entityType: 'mail', entityId: id, change: { attemptsBefore: tried } });
      return tried;
    });
    await this.queue.sendMail(id, `resend-${attempts}`);
  }
}

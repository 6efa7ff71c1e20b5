import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../common/config/app-config';
import { loadCatalogues } from '../common/i18n/messages';
import { GrantThreads } from '../common/notifications/grant-threads';
import { NotificationEvents } from '../common/notifications/notification-events';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { ActingForInterceptor } from './acting-for.interceptor';
import { DelegationsController } from './delegations.controller';
import { DelegationsService } from './delegations.service';
import { GrantMessageStore } from './grant-message.store';
import { GrantMessagesController } from './grant-messages.controller';
import { GrantMessagesService } from './grant-messages.service';
import { MailOutboxService } from './mail-outbox.service';
import { NotificationsPagesController } from './notifications.pages.controller';
import { QueueDashboard } from './queue-dashboard';
import { UnreadCountInterceptor } from './unread-count.interceptor';
import { templatesDir } from '../common/web/view-engine';
import { GrantsModule } from '../grants/grants.module';
import { IdentityModule } from '../identity/identity.module';
import { InvoicesModule } from '../invoices/invoices.module';
import { DelegationStore } from './delegation.store';
import { DigestService } from './digest.service';
import { MailOutboxStore } from './mail-outbox.store';
import { MailSender } from './mail-sender.service';
import { MailTransport } from './mail-transport';
import { NotificationOutbox } from './notification-outbox.service';
import { NotificationQueue } from './notification-queue';
import { NotificationRelay } from './notification-relay.service';
import { NotificationTemplates } from './notification-templates';
import { NotificationStore } from './notification.store';
import { NotificationsController } from './notifications.controller';
import { NotificationsProcessor } from './notifications.processor';
import { NotificationsService } from './notifications.service';
import { RecipientsService } from './recipients.service';
import { RemindersService } from './reminders.service';

/**
 * Notifications, mails, reminders and digests, messages per grant and delegation. It sits above the business
 * modules (it reads grants, invoices and users to find recipients and reminders) and provides, to all of them,
 * the NotificationEvents port declared in common, through which they publish without importing it.
 */
@Global()
@Module({
  imports: [IdentityModule, SuppliersModule, GrantsModule, InvoicesModule],
  controllers: [NotificationsController, GrantMessagesController, DelegationsController, NotificationsPagesController],
  providers: [
    NotificationStore,
    MailOutboxStore,
    DelegationStore,
    NotificationOutbox,
    { provide: NotificationEvents, useExisting: NotificationOutbox },
    {
      provide: NotificationTemplates,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const dir = templatesDir();
        return new NotificationTemplates(loadCatalogues(dir), dir, config.publicUrl);
      },
    },
    MailTransport,
    NotificationQueue,
    RecipientsService,
    NotificationRelay,
    MailSender,
    DigestService,
    RemindersService,
    NotificationsService,
    NotificationsProcessor,
    GrantMessageStore,
    GrantMessagesService,
    { provide: GrantThreads, useExisting: GrantMessagesService },
    DelegationsService,
    MailOutboxService,
    QueueDashboard,
    { provide: APP_INTERCEPTOR, useClass: UnreadCountInterceptor },
    { provide: APP_INTERCEPTOR, useClass: ActingForInterceptor },
  ],
  exports: [NotificationEvents, GrantThreads],
})
export class NotificationsModule {}

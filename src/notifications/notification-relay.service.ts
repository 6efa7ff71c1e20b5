import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { NotificationType } from '../common/notifications/notification-events';
import { containsCprNumber } from '../grants/personal-data.rules';
import { MailOutboxStore, type NewMail } from './mail-outbox.store';
import { MailTransport } from './mail-transport';
import { effectiveDelivery, isNotificationType, type Delivery } from './notification-catalogue';
import { NotificationTemplates } from './notification-templates';
import { NotificationStore, type NewNotification, type PendingEvent } from './notification.store';
import { NotificationQueue } from './notification-queue';
import { RecipientsService, type Recipient } from './recipients.service';

const BATCH = 50;
const MAX_ROUNDS = 20;

interface Plan {
  eventId: string;
  notifications: NewNotification[];
  mails: NewMail[];
}

/**
 * Tells the events the modules published: for each, its recipients (through deputies), their preferences, a
 * notification each and a mail each for those who want it at once, stored in one transaction that marks the
 * event told. Relays in several processes share the work: an event another relay holds is skipped, and an
 * event, a notification and a mail are each unique by key, so a repeat tells nobody twice.
 */
@Injectable()
export class NotificationRelay {
  private readonly logger = new Logger('NotificationRelay');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: NotificationStore,
    private readonly mails: MailOutboxStore,
    private readonly recipients: RecipientsService,
    private readonly templates: NotificationTemplates,
    private readonly transport: MailTransport,
    private readonly queue: NotificationQueue,
  ) {}

  /** Tells every event not told yet; answers how many this call told. */
  async dispatchPending(): Promise<number> {
    let told = 0;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const pending = await this.store.pendingEvents(this.dataSource.manager, BATCH);
      if (pending.length === 0) break;
      // Recipients and texts are read before the transaction: the embedded database has one connection.
      // An event whose recipients could not be read now (the database away) waits for the next run.
      const plans = (await Promise.all(pending.map((event) => this.plan(event)))).filter((plan): plan is Plan => plan !== null);
      const { locked, stored } = await this.dataSource.transaction(async (manager) => {
        const mine = await this.store.lockPending(manager, plans.map((plan) => plan.eventId));
        const taken = plans.filter((plan) => mine.has(plan.eventId));
        await this.store.insertNotifications(manager, taken.flatMap((plan) => plan.notifications));
        const inserted = await this.mails.insert(manager, taken.flatMap((plan) => plan.mails));
        await this.store.markDispatched(manager, [...mine]);
        return { locked: mine.size, stored: inserted };
      });
      for (const mail of stored) if (mail.status === 'pending') await this.queue.sendMail(mail.id, 0);
      told += locked;
      // Another relay holds these: it tells them.
      if (locked === 0 || pending.length < BATCH) break;
    }
    if (told > 0) this.logger.debug({ events: told }, 'notification events told');
    return told;
  }

  private async plan(event: PendingEvent): Promise<Plan | null> {
    const plan: Plan = { eventId: event.id, notifications: [], mails: [] };
    if (!isNotificationType(event.type)) {
      this.logger.warn({ eventId: event.id, type: event.type }, 'unknown notification event type; marked told, nobody told');
      return plan;
    }
    const type: NotificationType = event.type;
    let recipients: Recipient[];
    let chosen: Map<string, Delivery>;
    try {
      recipients = await this.recipients.resolve(type, event.payload as never);
      chosen = await this.store.preferencesFor(this.dataSource.manager, recipients.map((r) => r.userId), type);
    } catch (error) {
      this.logger.warn({ eventId: event.id, type, err: error }, 'the recipients of a notification event could not be read; the next run tries again');
      return null;
    }
    if (recipients.length === 0) this.logger.warn({ eventId: event.id, type }, 'no recipient for the notification event');
    for (const recipient of recipients) {
      const delivery = effectiveDelivery(type, chosen.get(recipient.userId));
      if (delivery === 'off') continue;
      plan.notifications.push({ eventId: event.id, userId: recipient.userId, onBehalfOf: recipient.onBehalfOf?.userId ?? null, type, delivery });
      if (delivery !== 'immediately') continue;
      try {
        const mail = this.mail(event, type, recipient);
        if (mail) plan.mails.push(mail);
      } catch (error) {
        // A text that cannot be filled is a defect to fix: the notification stands, the mail is not sent half filled.
        this.logger.error({ eventId: event.id, type, err: error }, 'the mail of a notification event could not be written');
      }
    }
    return plan;
  }

  private mail(event: PendingEvent, type: NotificationType, recipient: Recipient): NewMail | null {
    const item = this.templates.item(type, event.payload as never, recipient.language, recipient.side, recipient.onBehalfOf?.name ?? null);
    const rendered = this.templates.mail(recipient.language, recipient.name, [item], false);
    if (containsCprNumber(`${rendered.subject}\n${rendered.text}`)) {
      this.logger.error({ eventId: event.id, type }, 'a mail held a CPR-shaped number and was not stored');
      return null;
    }
    return {
      key: `${event.key}:${recipient.userId}`,
      kind: 'event',
      userId: recipient.userId,
      recipient: recipient.email,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      status: this.transport.configured ? 'pending' : 'kept',
    };
  }
}

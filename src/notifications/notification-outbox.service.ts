import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotificationEvents, type NotificationEvent } from '../common/notifications/notification-events';
import { NotificationStore } from './notification.store';

/**
 * The notifications module's side of the port: an event is a row in notification_event, written in the
 * publisher's transaction, so it exists exactly when the change it tells of does. The relay tells it after.
 */
@Injectable()
export class NotificationOutbox extends NotificationEvents {
  constructor(private readonly store: NotificationStore) {
    super();
  }

  async publish(manager: EntityManager, events: readonly NotificationEvent[]): Promise<void> {
    await this.store.insertEvents(manager, events);
  }
}
